using Hangfire;
using Hangfire.Common;
using Hangfire.InMemory;

namespace IntegrationHub.Web.Infrastructure.Jobs;

/// <summary>Whether Hangfire will accept a cron expression for a recurring job.</summary>
public static class CronSchedule
{
    /// <summary>
    /// Hangfire keeps its cron parser internal and runs it only when a recurring job is declared — after start-up has
    /// migrated the database, as a stack trace. So the check declares the schedule on a throwaway in-memory storage:
    /// exactly Hangfire's own rules, before anything else runs.
    /// </summary>
    public static bool IsValid(string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return false;
        }

        using var storage = new InMemoryStorage();
        try
        {
            new RecurringJobManager(storage).AddOrUpdate("cron-check", Job.FromExpression(() => Console.WriteLine()), expression, new RecurringJobOptions());
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
