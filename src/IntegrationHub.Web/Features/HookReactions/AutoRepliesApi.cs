using System.Globalization;
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
        if (window is < 60 or > 30 * 24 * 60)
        {
            errors["window_minutes"] = ["Between 60 minutes and 30 days."];
        }

        if (cap is < 1 or > 1000)
        {
            errors["cap_per_hour"] = ["Between 1 and 1000."];
        }

        var input = document?.Rules ?? [];
        if (input.Count > 20)
        {
            errors["rules"] = ["At most 20 rules."];
        }

        var rules = new List<AutoReplyRule>();
        for (var i = 0; i < input.Count && i < 20; i++)
        {
            var dto = input[i];
            var prefix = $"rules[{i}]";
            if (dto is null)
            {
                errors[prefix] = ["A rule is required."];
                continue;
            }

            if (string.IsNullOrWhiteSpace(dto.Name) || dto.Name.Length > 200)
            {
                errors[prefix + ".name"] = ["A name of 1 to 200 characters is required."];
            }

            if (string.IsNullOrWhiteSpace(dto.ReplyText) || dto.ReplyText.Length > 4000)
            {
                errors[prefix + ".reply_text"] = ["A reply of 1 to 4000 characters is required."];
            }

            if (dto.Trigger is null || !AutoReplyTriggers.All.Contains(dto.Trigger))
            {
                errors[prefix + ".trigger"] = ["One of: " + string.Join(", ", AutoReplyTriggers.All) + "."];
            }

            if (dto.Trigger == AutoReplyTriggers.TextContains && (string.IsNullOrWhiteSpace(dto.TextContains) || dto.TextContains.Length > 500))
            {
                errors[prefix + ".text_contains"] = ["Text of 1 to 500 characters is required."];
            }

            int? from = null, to = null;
            if (dto.Trigger == AutoReplyTriggers.OutsideBusinessHours)
            {
                from = ParseTime(dto.From);
                to = ParseTime(dto.To);
                if (from is null || to is null || from >= to)
                {
                    errors[prefix + ".from"] = ["'from' and 'to' are HH:mm times with from before to."];
                }

                if (dto.TimeZone is { Length: > 100 } || HookReactionService.TryZone(dto.TimeZone) is null)
                {
                    errors[prefix + ".time_zone"] = ["An IANA time zone id, e.g. Europe/Paris."];
                }

                if (dto.Days is { } d && (d.Count == 0 || d.Any(x => x is < 0 or > 6)))
                {
                    errors[prefix + ".days"] = ["Days are 0 (Sunday) to 6 (Saturday)."];
                }
            }

            rules.Add(new AutoReplyRule
            {
                Id = Guid.NewGuid(),
                Position = i,
                Enabled = dto.Enabled ?? true,
                Name = dto.Name?.Trim() ?? string.Empty,
                Trigger = dto.Trigger ?? string.Empty,
                TextContains = dto.Trigger == AutoReplyTriggers.TextContains ? dto.TextContains : null,
                TimeZone = dto.Trigger == AutoReplyTriggers.OutsideBusinessHours ? dto.TimeZone ?? "UTC" : null,
                Days = dto.Trigger == AutoReplyTriggers.OutsideBusinessHours ? string.Join(',', (dto.Days ?? [1, 2, 3, 4, 5]).Distinct().Order()) : null,
                FromMinute = from,
                ToMinute = to,
                ReplyText = dto.ReplyText ?? string.Empty,
                WindowMinutes = window,
                CapPerHour = cap,
            });
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

    private static int? ParseTime(string? value) =>
        TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? (time.Hour * 60) + time.Minute : null;

    private static string? FormatTime(int? minutes) => minutes is { } m ? $"{m / 60:00}:{m % 60:00}" : null;

    private static AutoReplyRuleDto ToDto(AutoReplyRule r) => new(
        r.Name, r.Enabled, r.Trigger, r.TextContains, r.TimeZone,
        r.Days?.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToList(),
        FormatTime(r.FromMinute), FormatTime(r.ToMinute), r.ReplyText);
}
