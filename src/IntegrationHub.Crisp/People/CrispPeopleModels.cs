using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace IntegrationHub.Crisp;

/// <summary>A people profile as Crisp returns it. Fields the hub does not use are kept in <see cref="Extra"/>.</summary>
public sealed record CrispPeopleProfile
{
    public required string PeopleId { get; init; }

    public string? Email { get; init; }

    public CrispPerson? Person { get; init; }

    public CrispCompany? Company { get; init; }

    public IReadOnlyList<string>? Segments { get; init; }

    public string? Notepad { get; init; }

    /// <summary>Epoch milliseconds.</summary>
    public long? CreatedAt { get; init; }

    /// <summary>Epoch milliseconds.</summary>
    public long? UpdatedAt { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>Body of add (POST) and update (PATCH) profile: only the fields set are sent.</summary>
public sealed record CrispPeopleProfileInput
{
    public string? Email { get; init; }

    public CrispPerson? Person { get; init; }

    public CrispCompany? Company { get; init; }

    public IReadOnlyList<string>? Segments { get; init; }

    public string? Notepad { get; init; }
}

public sealed record CrispPerson
{
    public string? Nickname { get; init; }

    public string? Avatar { get; init; }

    public string? Gender { get; init; }

    public string? Phone { get; init; }

    public string? Address { get; init; }

    public string? Description { get; init; }

    public string? Website { get; init; }

    public IReadOnlyList<string>? Locales { get; init; }

    /// <summary>Everything else Crisp holds, kept as it came. <c>timezone</c> is here on purpose: the reference gives
    /// it no type and Crisp's Node SDK says number (a UTC offset), so a string property made such profiles unreadable.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record CrispCompany
{
    public string? Name { get; init; }

    public string? Domain { get; init; }

    public string? Url { get; init; }

    public string? Description { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>Colours Crisp accepts for people and session events.</summary>
public enum CrispEventColor
{
    Red,
    Orange,
    Yellow,
    Green,
    Blue,
    Purple,
    Pink,
    Brown,
    Grey,
    Black,
}

/// <summary>Body of <c>POST /people/events/{people_id}</c>.</summary>
public sealed record CrispPeopleEventInput
{
    public CrispPeopleEventInput(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        Text = text;
    }

    public string Text { get; }

    /// <summary>Free-form values (string, number or bool).</summary>
    public JsonObject? Data { get; init; }

    public CrispEventColor? Color { get; init; }
}

/// <summary>An entry of <c>GET /people/events/{people_id}/list/{page}</c>.</summary>
public sealed record CrispPeopleEvent
{
    public required string Text { get; init; }

    public JsonObject? Data { get; init; }

    public CrispEventColor? Color { get; init; }

    /// <summary>Epoch milliseconds.</summary>
    public long? Timestamp { get; init; }
}

internal sealed record CrispPeopleIdResult(string PeopleId);

internal sealed record CrispDataBody(JsonObject Data);
