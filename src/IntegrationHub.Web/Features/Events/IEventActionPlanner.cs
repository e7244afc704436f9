namespace IntegrationHub.Web.Features.Events;

/// <summary>
/// The mapping engine's seam: given the events of one tenant that are being accepted, which Crisp calls they
/// cause. Called by the ingest writer inside the transaction that stores the events, in that tenant's scope, so
/// the planned calls are committed with the events or not at all. Implementations load what they need (rules)
/// once per call, not once per event.
/// </summary>
public interface IEventActionPlanner
{
    ValueTask<IReadOnlyList<PlannedCall>> PlanAsync(IReadOnlyList<ProductEvent> events, CancellationToken cancellationToken);
}

/// <summary>One outbox call an event causes: kind and payload as in <c>CrispCallKinds</c>, and the rule version behind it.</summary>
public sealed record PlannedCall(Guid EventId, string Kind, object Payload, string? OrderingKey, Guid? RuleVersionId);

/// <summary>Until mapping rules exist, an accepted event is stored with no deliveries.</summary>
public sealed class NoRulesPlanner : IEventActionPlanner
{
    public ValueTask<IReadOnlyList<PlannedCall>> PlanAsync(IReadOnlyList<ProductEvent> events, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<PlannedCall>>([]);
}
