using System.Globalization;
using IntegrationHub.Web.Infrastructure.Api;

namespace IntegrationHub.Web.Features.HookReactions;

/// <summary>The checks every way of writing auto-reply rules shares (the API and the dashboard page).</summary>
public static class AutoReplyValidation
{
    public const int MaxRules = 20;

    public static void Settings(int window, int cap, Dictionary<string, string[]> errors)
    {
        if (window is < 60 or > 30 * 24 * 60)
        {
            errors["window_minutes"] = ["Between 60 minutes and 30 days."];
        }

        if (cap is < 1 or > 1000)
        {
            errors["cap_per_hour"] = ["Between 1 and 1000."];
        }
    }

    /// <summary>The rule a DTO describes; its problems are added to <paramref name="errors"/> under <paramref name="prefix"/>.</summary>
    public static AutoReplyRule Rule(AutoRepliesApi.AutoReplyRuleDto dto, string prefix, int position, int window, int cap, Dictionary<string, string[]> errors)
    {
        string Key(string field) => prefix.Length == 0 ? field : prefix + "." + field;
        if (string.IsNullOrWhiteSpace(dto.Name) || dto.Name.Length > 200)
        {
            errors[Key("name")] = ["A name of 1 to 200 characters is required."];
        }
        else if (FieldErrors.HasControlCharacters(dto.Name))
        {
            errors[Key("name")] = ["No line breaks or other control characters."];
        }

        if (string.IsNullOrWhiteSpace(dto.ReplyText) || dto.ReplyText.Length > 4000)
        {
            errors[Key("reply_text")] = ["A reply of 1 to 4000 characters is required."];
        }
        else if (HasControlCharactersBesideLineBreaks(dto.ReplyText))
        {
            errors[Key("reply_text")] = ["No control characters other than tabs and line breaks."];
        }

        if (dto.Trigger is null || !AutoReplyTriggers.All.Contains(dto.Trigger))
        {
            errors[Key("trigger")] = ["One of: " + string.Join(", ", AutoReplyTriggers.All) + "."];
        }

        if (dto.Trigger == AutoReplyTriggers.TextContains && (string.IsNullOrWhiteSpace(dto.TextContains) || dto.TextContains.Length > 500))
        {
            errors[Key("text_contains")] = ["Text of 1 to 500 characters is required."];
        }
        else if (dto.Trigger == AutoReplyTriggers.TextContains && HasControlCharactersBesideLineBreaks(dto.TextContains!))
        {
            errors[Key("text_contains")] = ["No control characters other than tabs and line breaks."];
        }

        int? from = null, to = null;
        if (dto.Trigger == AutoReplyTriggers.OutsideBusinessHours)
        {
            from = ParseTime(dto.From);
            to = ParseTime(dto.To);
            if (from is null || to is null || from >= to)
            {
                errors[Key("from")] = ["'from' and 'to' are HH:mm times with from before to."];
            }

            if (dto.TimeZone is { Length: > 100 } || HookReactionService.TryZone(dto.TimeZone) is null)
            {
                errors[Key("time_zone")] = ["An IANA time zone id, e.g. Europe/Paris."];
            }

            if (dto.Days is { } d && (d.Count == 0 || d.Any(x => x is < 0 or > 6)))
            {
                errors[Key("days")] = ["Days are 0 (Sunday) to 6 (Saturday)."];
            }
        }

        return new AutoReplyRule
        {
            Id = Guid.NewGuid(),
            Position = position,
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
        };
    }

    /// <summary>What PostgreSQL cannot store (NUL: a 500) or a reply should not carry; a visitor's text and a reply may
    /// have line breaks and tabs.</summary>
    private static bool HasControlCharactersBesideLineBreaks(string text) => text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'));

    public static int? ParseTime(string? value) =>
        TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? (time.Hour * 60) + time.Minute : null;

    public static string? FormatTime(int? minutes) => minutes is { } m ? $"{m / 60:00}:{m % 60:00}" : null;

    public static List<int>? ParseDays(string? days) =>
        days?.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToList();
}
