using System.Text.Json.Nodes;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>A Crisp call a rule would make for an event: an outbox kind and its payload.</summary>
public sealed record PlannedCall(Guid RuleId, Guid RuleVersionId, string RuleName, int ActionIndex, string Kind, JsonObject Payload, string? OrderingKey);
