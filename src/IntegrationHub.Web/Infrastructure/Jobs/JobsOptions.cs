namespace IntegrationHub.Web.Infrastructure.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Run Hangfire workers in this process.</summary>
    public bool RunServer { get; set; } = true;

    /// <summary>Workers of the default queue (hooks, Crisp deliveries, syncs).</summary>
    public int WorkerCount { get; set; } = Math.Max(4, Environment.ProcessorCount * 2);

    /// <summary>Workers of the relay queue.</summary>
    public int RelayWorkerCount { get; set; } = 2;
}
