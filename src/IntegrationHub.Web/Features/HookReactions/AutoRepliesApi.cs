using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.HookReactions;

/// <summary><c>GET/PUT /api/v1/auto-replies</c>: the tenant's auto-reply rules, replaced as a whole.</summary>
public static class AutoRepliesApi
{
    public sealed record AutoReplyRuleDto(
        string? Name,
        bool? Enabled,
        string? Trigger,
        string? TextContains,
        string? TimeZone,
        IReadOnlyList<int>? Days,
        string? From,
        string? To,
        string? ReplyText);

    public sealed record AutoRepliesDocument(int? WindowMinutes, int? CapPerHour, IReadOnlyList<AutoReplyRuleDto>? Rules);

    public static RouteGroupBuilder MapAutoRepliesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/auto-replies", GetAsync)
            .WithName("GetAutoReplies")
            .WithTags("Auto-replies")
            .WithSummary("The website's auto-reply rules, window and hourly cap");
        api.MapPut("/auto-replies", PutAsync)
            .WithName("PutAutoReplies")
            .WithTags("Auto-replies")
            .WithSummary("Replaces the website's auto-reply rules")
            .WithDescription("Auto-replies only go out while the website's settings have features.auto_replies = true. "
                + "At most one per conversation per window, none when an operator wrote within the window, and at most cap_per_hour per website.")
            .ProducesValidationProblem();
        return api;
    }

    private static async Task<Ok<AutoRepliesDocument>> GetAsync(HubDbContext db, CancellationToken cancellationToken)
    {
        var rules = await db.Set<AutoReplyRule>().AsNoTracking().OrderBy(r => r.Position).ToListAsync(cancellationToken);
        return TypedResults.Ok(new AutoRepliesDocument(
            rules.FirstOrDefault()?.WindowMinutes ?? AutoReplyTriggers.DefaultWindowMinutes,
            rules.FirstOrDefault()?.CapPerHour ?? AutoReplyTriggers.DefaultCapPerHour,
            rules.Select(ToDto).ToList()));
    }

    private static async Task<Results<Ok<AutoRepliesDocument>, ValidationProblem>> PutAsync(AutoRepliesDocument? document, HubDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var window = document?.WindowMinutes ?? AutoReplyTriggers.DefaultWindowMinutes;
        var cap = document?.CapPerHour ?? AutoReplyTriggers.DefaultCapPerHour;
        AutoReplyValidation.Settings(window, cap, errors);
        var input = document?.Rules ?? [];
        if (input.Count > AutoReplyValidation.MaxRules)
        {
            errors["rules"] = [$"At most {AutoReplyValidation.MaxRules} rules."];
        }

        var rules = new List<AutoReplyRule>();
        for (var i = 0; i < input.Count && i < AutoReplyValidation.MaxRules; i++)
        {
            if (input[i] is not { } dto)
            {
                errors[$"rules[{i}]"] = ["A rule is required."];
                continue;
            }

            rules.Add(AutoReplyValidation.Rule(dto, $"rules[{i}]", i, window, cap, errors));
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await db.Set<AutoReplyRule>().ExecuteDeleteAsync(cancellationToken);
        db.Set<AutoReplyRule>().AddRange(rules);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new AutoRepliesDocument(window, cap, rules.Select(ToDto).ToList()));
    }

    private static AutoReplyRuleDto ToDto(AutoReplyRule r) => new(
        r.Name, r.Enabled, r.Trigger, r.TextContains, r.TimeZone,
        AutoReplyValidation.ParseDays(r.Days),
        AutoReplyValidation.FormatTime(r.FromMinute), AutoReplyValidation.FormatTime(r.ToMinute), r.ReplyText);
}
