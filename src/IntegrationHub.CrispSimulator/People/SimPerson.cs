using System.Text.Json.Nodes;

namespace IntegrationHub.CrispSimulator.People;

/// <summary>A people profile (contact) of one website.</summary>
public sealed class SimPerson
{
    public required string PeopleId { get; init; }

    public required string Email { get; set; }

    public JsonObject Person { get; set; } = [];

    public JsonObject Company { get; set; } = [];

    public List<string> Segments { get; set; } = [];

    public string Notepad { get; set; } = "";

    public JsonObject? Active { get; set; }

    public int Score { get; set; }

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; set; }

    /// <summary>People data: values are strings, numbers or booleans only.</summary>
    public JsonObject Data { get; set; } = [];

    public List<SimPeopleEvent> Events { get; } = [];
}

public sealed record SimPeopleEvent(string Text, JsonObject Data, string Color, long Timestamp);
