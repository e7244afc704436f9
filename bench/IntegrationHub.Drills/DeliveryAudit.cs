using System.Text.Json;
using IntegrationHub.CrispSimulator.Journal;

namespace IntegrationHub.Drills;

/// <summary>
/// Compares three records of one drill: what the API promised (the 202s), what the database holds (events and
/// outbox calls), and what Crisp received (the simulator's journal). Each method adds checks to a report.
/// </summary>
public sealed class DeliveryAudit
{
    private DeliveryAudit(List<CallRow> calls, HashSet<string> stored, Dictionary<string, List<DateTimeOffset>> deliveries,
        Dictionary<Guid, List<JournalEntry>> journal)
    {
        Calls = calls;
        StoredMessageIds = stored;
        Deliveries = deliveries;
        Journal = journal;
    }

    public List<CallRow> Calls { get; }

    public HashSet<string> StoredMessageIds { get; }

    /// <summary>message_id → times Crisp accepted (2xx) a people event carrying it.</summary>
    public Dictionary<string, List<DateTimeOffset>> Deliveries { get; }

    /// <summary>Every request Crisp saw, per tenant.</summary>
    public Dictionary<Guid, List<JournalEntry>> Journal { get; }

    public static async Task<DeliveryAudit> TakeAsync(DrillDatabase database, DrillSimulator simulator, IEnumerable<DrillTenant> tenants)
    {
        var journal = tenants.ToDictionary(t => t.Id, t => simulator.Journal(t.Id).ToList());
        var deliveries = new Dictionary<string, List<DateTimeOffset>>(StringComparer.Ordinal);
        foreach (var entry in journal.Values.SelectMany(e => e))
        {
            if (IsPeopleEventDelivery(entry) && TextOf(entry.Body) is { } text)
            {
                (deliveries.TryGetValue(text, out var times) ? times : deliveries[text] = []).Add(entry.Time);
            }
        }

        return new DeliveryAudit(await database.CallsAsync(), await database.StoredMessageIdsAsync(), deliveries, journal);
    }

    public static bool IsPeopleEventDelivery(JournalEntry entry) =>
        entry.Method == "POST" && entry.Path.Contains("/people/events/", StringComparison.Ordinal) && entry.Status is >= 200 and < 300;

    /// <summary>The people event's text (the drill puts the message id there), or null.</summary>
    public static string? TextOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Every 202 is in the database, with the outbox calls its rule planned.</summary>
    public void CheckAcceptedAreStored(DrillReport report, IReadOnlyDictionary<string, AcceptedEvent> accepted)
    {
        var missing = accepted.Keys.Where(id => !StoredMessageIds.Contains(id)).ToList();
        report.Check("every 202 is stored", missing.Count == 0,
            $"{accepted.Count} accepted, {missing.Count} missing from product_events{Sample(missing)}");
        var callsPerEvent = Calls.Where(c => c.MessageId is not null).GroupBy(c => c.MessageId!).ToDictionary(g => g.Key, g => g.Count());
        var wrong = accepted.Keys.Where(id => callsPerEvent.GetValueOrDefault(id) != DrillSeeder.CallsPerEvent).ToList();
        report.Check("every 202 planned its calls", wrong.Count == 0,
            $"{accepted.Count * DrillSeeder.CallsPerEvent} calls expected, {wrong.Count} events with a different number{Sample(wrong)}");
    }

    /// <summary>Every call reached a final state: Sent (and with <paramref name="deadAllowed"/>, Dead).</summary>
    public void CheckAllFinal(DrillReport report, bool deadAllowed)
    {
        var byStatus = Calls.GroupBy(c => c.Status).ToDictionary(g => g.Key, g => g.Count());
        var open = Calls.Count(c => c.Status != "Sent" && !(deadAllowed && c.Status == "Dead"));
        report.Check(deadAllowed ? "every call sent or dead-lettered" : "every call sent", open == 0,
            string.Join(", ", byStatus.OrderBy(s => s.Key).Select(s => $"{s.Value} {s.Key}")));
    }

    /// <summary>Every call marked sent is in the journal at least once.</summary>
    public void CheckSentWereDelivered(DrillReport report)
    {
        var lost = Calls.Where(c => c.Status == "Sent" && c.MessageId is not null && !Deliveries.ContainsKey(c.MessageId)).Select(c => c.MessageId!).ToList();
        report.Check("every sent call reached Crisp", lost.Count == 0,
            $"{Calls.Count(c => c.Status == "Sent")} sent, {lost.Count} not in the simulator's journal{Sample(lost)}");
    }

    /// <summary>
    /// Nothing was delivered again after the database recorded it as sent (<c>CompletedAt</c> is written after the
    /// answer arrived, so a legitimate delivery is always earlier).
    /// </summary>
    public void CheckNoResendAfterSent(DrillReport report)
    {
        var resent = Calls.Where(c => c.Status == "Sent" && c.CompletedAt is { } done && c.MessageId is not null
                                      && Deliveries.GetValueOrDefault(c.MessageId)?.Any(t => t > done) == true)
            .Select(c => c.MessageId!).ToList();
        report.Check("no call marked sent was sent again", resent.Count == 0, $"{resent.Count} delivered after being marked sent{Sample(resent)}");
    }

    /// <summary>
    /// Each call delivered exactly once — or, with <paramref name="inFlightAtKill"/>, more than once only if it was
    /// claimed (<c>Sending</c>) when a node was killed: its request may have reached Crisp before the outcome was
    /// committed (at-least-once for those, by design).
    /// </summary>
    public void CheckDuplicates(DrillReport report, IReadOnlySet<long>? inFlightAtKill = null)
    {
        var repeated = Calls.Where(c => c.MessageId is not null && Deliveries.GetValueOrDefault(c.MessageId)?.Count > 1).ToList();
        var unexplained = repeated.Where(c => inFlightAtKill?.Contains(c.Id) != true).Select(c => c.MessageId!).ToList();
        if (inFlightAtKill is null)
        {
            report.Check("every call delivered exactly once", repeated.Count == 0 && Calls.All(c => c.MessageId is null || Deliveries.ContainsKey(c.MessageId)),
                $"{Deliveries.Count} events delivered, {repeated.Count} more than once{Sample(unexplained)}");
        }
        else
        {
            report.Check("repeats only for calls in flight at a kill", unexplained.Count == 0,
                $"{repeated.Count} delivered more than once, all of them among the {inFlightAtKill.Count} claimed at a kill{(unexplained.Count > 0 ? "; NOT: " : string.Empty)}{Sample(unexplained)}");
        }
    }

    /// <summary>No sliding window of <paramref name="window"/> holds more than <paramref name="budget"/> requests of one tenant.</summary>
    public void CheckBudget(DrillReport report, int budget, TimeSpan window)
    {
        var worst = Journal.ToDictionary(j => j.Key, j => MaxInAnyWindow(j.Value.Select(e => e.Time).ToList(), window));
        report.Check("per-tenant budget held in every window", worst.Values.All(n => n <= budget),
            $"budget {budget} per {window.TotalSeconds:0.#} s; busiest window per tenant: {string.Join(", ", worst.Values)}");
    }

    /// <summary>The most requests in any window of <paramref name="window"/> (each window starts at a request).</summary>
    public static int MaxInAnyWindow(IReadOnlyList<DateTimeOffset> times, TimeSpan window)
    {
        var sorted = times.OrderBy(t => t).ToList();
        var max = 0;
        var start = 0;
        for (var end = 0; end < sorted.Count; end++)
        {
            while (sorted[end] - sorted[start] >= window)
            {
                start++;
            }

            max = Math.Max(max, end - start + 1);
        }

        return max;
    }

    private static string Sample(List<string> ids) => ids.Count == 0 ? string.Empty : " (e.g. " + string.Join(", ", ids.Take(5)) + ")";
}
