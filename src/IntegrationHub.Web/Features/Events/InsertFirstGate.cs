using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Events;

/// <summary>
/// Whether the next group commit may insert its events without looking up their message ids first
/// (<see cref="MessageIdCheck.InsertFirst"/>). Closed for a while after a repeat refused an insert: a client that
/// retries usually retries many requests, and every refused commit costs a rollback and a second attempt.
/// </summary>
public sealed class InsertFirstGate(TimeProvider clock, IOptions<IngestOptions> options, IOptions<DatabaseOptions> database)
{
    public static readonly TimeSpan PauseAfterRefusal = TimeSpan.FromSeconds(5);

    private readonly bool _enabled = options.Value.MessageIdCheck switch
    {
        MessageIdCheck.InsertFirst => true,
        MessageIdCheck.LookUpFirst => false,
        _ => database.Value.Provider != DatabaseProvider.SqlServer,
    };

    private long _closedUntilTicks;

    public bool IsOpen => _enabled && clock.GetUtcNow().UtcTicks >= Interlocked.Read(ref _closedUntilTicks);

    public void Refused() => Interlocked.Exchange(ref _closedUntilTicks, (clock.GetUtcNow() + PauseAfterRefusal).UtcTicks);
}
