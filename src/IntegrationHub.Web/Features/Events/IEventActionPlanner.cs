namespace IntegrationHub.Web.Features.Events;

/// <summary>
/// The mapping engine's seam: given the events of one tenant that are being accepted, which Crisp calls they
/// cause. Called by the ingest writer inside the transaction that stores the events, in that tenant's scope, so
/// the planned calls are committed with the events or not at all. Implementations load what they need (rules)
/// once per call, not once per event.
/// </summary>
public interface IEventActionPlanner
{
    ValueTask<EventPlan> PlanAsync(IReadOnlyList<ProductEvent> events, CancellationToken cancellationToken);
}

/// <summary>
/// What the events cause: the outbox calls, and why a matching rule made none for an event. The ingest writer stores
/// the problems with the events, in the same transaction (<see cref="EventRuleProblem"/>), and tells them in the log
/// once the events are committed: a commit can be rolled back and done again (a repeated message id refused an
/// insert), and a problem told from inside it would be told twice, or of events never stored.
/// </summary>
public sealed record EventPlan(IReadOnlyList<PlannedCall> Calls, IReadOnlyList<RuleProblem> Problems)
{
    public static EventPlan None { get; } = new([], []);
}

/// <summary>
/// A rule version that matched an event but could not turn (one of its actions) into a call, e.g. a people action for
/// an event without email. <paramref name="Logged"/> false: stored and shown, not told in the log (product events
/// switched off in the plugin settings: a setting, the same for every event, not a problem to log per event).
/// </summary>
public sealed record RuleProblem(Guid EventId, Guid RuleVersionId, string Rule, int Version, string Error, bool Logged = true);

/// <summary>One outbox call an event causes: kind and payload as in <c>CrispCallKinds</c>, and the rule version behind it.</summary>
public sealed record PlannedCall(Guid EventId, string Kind, object Payload, string? OrderingKey, Guid? RuleVersionId);

/// <summary>Until mapping rules exist, an accepted event is stored with no deliveries.</summary>
public sealed class NoRulesPlanner : IEventActionPlanner
{
    public ValueTask<EventPlan> PlanAsync(IReadOnlyList<ProductEvent> events, CancellationToken cancellationToken) =>
        ValueTask.FromResult(EventPlan.None);
}
