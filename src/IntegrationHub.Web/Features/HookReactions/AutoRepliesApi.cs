using IntegrationHub.Web.Infrastructure.Api;
using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.HookReactions;

/// <summary><c>GET/PUT /api/v1/auto-replies</c>: the tenant's auto-reply rules, replaced as a whole.</summary>
public static class AutoRepliesApi
{
    private const int MaxBodyBytes = 256 * 1024;

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
            .Accepts<AutoRepliesDocument>("application/json")
            .Produces<AutoRepliesDocument>()
            .WithStandardErrors(withBody: true);
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

    private static async Task<IResult> PutAsync(HttpContext http, HubDbContext db, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var (document, problem) = await TypedJsonRequestReader.ReadAsync<AutoRepliesDocument>(http.Request, MaxBodyBytes, json.Value.SerializerOptions,
            cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

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
            return ApiProblems.Validation(errors);
        }

        // Replaced as a whole or not at all: a failed insert must not leave the website without its rules.
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Set<AutoReplyRule>().ExecuteDeleteAsync(cancellationToken);
            db.Set<AutoReplyRule>().AddRange(rules);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        // The window and cap are stored on the rules: with none, what is kept (and what GET answers) are the defaults.
        return rules.Count == 0
            ? TypedResults.Ok(new AutoRepliesDocument(AutoReplyTriggers.DefaultWindowMinutes, AutoReplyTriggers.DefaultCapPerHour, []))
            : TypedResults.Ok(new AutoRepliesDocument(window, cap, rules.Select(ToDto).ToList()));
    }

    private static AutoReplyRuleDto ToDto(AutoReplyRule r) => new(
        r.Name, r.Enabled, r.Trigger, r.TextContains, r.TimeZone,
        AutoReplyValidation.ParseDays(r.Days),
        AutoReplyValidation.FormatTime(r.FromMinute), AutoReplyValidation.FormatTime(r.ToMinute), r.ReplyText);
}
