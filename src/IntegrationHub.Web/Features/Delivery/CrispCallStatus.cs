namespace IntegrationHub.Web.Features.Delivery;

public enum CrispCallStatus
{
    /// <summary>Waiting for its turn (and for <see cref="CrispCall.NextAttemptAt"/>).</summary>
    Queued = 0,

    /// <summary>Claimed by a drain; its lease says by whom and until when.</summary>
    Sending = 1,

    /// <summary>Crisp accepted it.</summary>
    Sent = 2,

    /// <summary>Failed in a way worth retrying; next try at <see cref="CrispCall.NextAttemptAt"/>.</summary>
    Retrying = 3,

    /// <summary>Will not succeed by retrying, or out of attempts: kept with the reason, can be replayed.</summary>
    Dead = 4,

    /// <summary>Not sent because its tenant uninstalled the plugin; resumes if it reinstalls.</summary>
    Paused = 5,
}
