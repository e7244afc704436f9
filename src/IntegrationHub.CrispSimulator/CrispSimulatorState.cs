using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using IntegrationHub.CrispSimulator.Campaigns;
using IntegrationHub.CrispSimulator.Hooks;
using IntegrationHub.CrispSimulator.Journal;
using IntegrationHub.CrispSimulator.Limits;
using IntegrationHub.CrispSimulator.Plugin;
using Microsoft.Extensions.Options;

namespace IntegrationHub.CrispSimulator;

/// <summary>
/// The whole in-memory Crisp: websites and everything in them, limits, faults, the request journal and the hook log.
/// One lock guards it all (<see cref="Sync"/>); HTTP handlers run under it, so every request is atomic.
/// In-process tests inspect it with <see cref="Read{T}"/>, <see cref="GetJournal"/> and <see cref="GetHooks"/>.
/// </summary>
public sealed class CrispSimulatorState
{
    private readonly List<SimWebsite> _websites = [];
    private readonly List<JournalEntry> _journal = [];
    private readonly List<HookRecord> _hooks = [];
    private readonly List<CampaignDispatch> _dispatches = [];
    private readonly Channel<HookRecord> _hookQueue = Channel.CreateUnbounded<HookRecord>();
    private long _journalSequence;
    private long _hookSequence;

    public CrispSimulatorState(IOptions<SimulatorOptions> options, TimeProvider timeProvider)
    {
        Options = options.Value;
        Time = timeProvider;
        ResetKnobs();
    }

    public Lock Sync { get; } = new();

    public SimulatorOptions Options { get; }

    public TimeProvider Time { get; }

    /// <summary>Bumped by <see cref="Reset"/>; pending hook retries of an older generation are dropped.</summary>
    public long Generation { get; private set; }

    public IReadOnlyList<SimWebsite> Websites => _websites;

    public PluginQuota Quota { get; private set; } = new();

    public FaultSettings Faults { get; private set; } = new();

    public HookSettings HookSettings { get; private set; } = new();

    public IReadOnlyList<CampaignDispatch> Dispatches => _dispatches;

    internal ChannelReader<HookRecord> HookQueue => _hookQueue.Reader;

    internal ChannelWriter<HookRecord> HookQueueWriter => _hookQueue.Writer;

    public DateTimeOffset Now => Time.GetUtcNow();

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Runs <paramref name="reader"/> under the lock. Copy what you need out of it.</summary>
    public T Read<T>(Func<CrispSimulatorState, T> reader)
    {
        lock (Sync)
        {
            return reader(this);
        }
    }

    public SimWebsite? FindWebsite(string websiteId) =>
        _websites.Find(w => string.Equals(w.WebsiteId, websiteId, StringComparison.OrdinalIgnoreCase));

    internal void AddWebsite(SimWebsite website) => _websites.Add(website);

    public IReadOnlyList<JournalEntry> GetJournal(string? websiteId = null)
    {
        lock (Sync)
        {
            return websiteId is null
                ? [.. _journal]
                : [.. _journal.Where(e => string.Equals(e.WebsiteId, websiteId, StringComparison.OrdinalIgnoreCase))];
        }
    }

    public void ClearJournal()
    {
        lock (Sync)
        {
            _journal.Clear();
        }
    }

    internal void AppendJournal(
        DateTimeOffset time, string? websiteId, string method, string path, string query, string? tier, int status, string reason, string body)
    {
        lock (Sync)
        {
            _journal.Add(new JournalEntry(++_journalSequence, time, websiteId, method, path, query, tier, status, reason, body));
            Trim(_journal, Options.JournalCapacity);
        }
    }

    public IReadOnlyList<HookDelivery> GetHooks(string? websiteId = null, string? eventName = null)
    {
        lock (Sync)
        {
            return
            [
                .. _hooks
                    .Where(h => websiteId is null || string.Equals(h.WebsiteId, websiteId, StringComparison.OrdinalIgnoreCase))
                    .Where(h => eventName is null || string.Equals(h.Event, eventName, StringComparison.Ordinal))
                    .Select(h => h.Snapshot()),
            ];
        }
    }

    public void ClearHooks()
    {
        lock (Sync)
        {
            _hooks.Clear();
        }
    }

    internal void RecordDispatch(CampaignDispatch dispatch) => _dispatches.Add(dispatch);

    /// <summary>
    /// Records a Plugin Hook and queues it for delivery (when a hook URL is set). Call under <see cref="Sync"/>.
    /// </summary>
    public HookRecord EmitHook(string websiteId, string eventName, JsonObject data)
    {
        lock (Sync)
        {
            var occurredAt = NowMs;
            var payload = new JsonObject
            {
                ["website_id"] = websiteId,
                ["event"] = eventName,
                ["data"] = data,
                ["timestamp"] = occurredAt,
            };
            var settings = HookSettings;
            var record = new HookRecord
            {
                Id = ++_hookSequence,
                WebsiteId = websiteId,
                Event = eventName,
                Body = JsonSerializer.SerializeToUtf8Bytes(payload, Infrastructure.SimJson.HookBody),
                Url = settings.Url,
                AttemptLimit = Math.Max(1, settings.AttemptLimit),
                BackoffBase = settings.BackoffBase,
                Timeout = settings.Timeout,
                Secret = settings.Secret,
                Generation = Generation,
                CreatedAt = Now,
                Status = string.IsNullOrEmpty(settings.Url) ? "not_sent" : "pending",
            };
            _hooks.Add(record);
            Trim(_hooks, Options.HookLogCapacity);
            if (record.Status == "pending")
            {
                _hookQueue.Writer.TryWrite(record);
            }

            return record;
        }
    }

    /// <summary>Forgets every website, journal entry, hook and dispatch; knobs return to their configured values.</summary>
    public void Reset()
    {
        lock (Sync)
        {
            _websites.Clear();
            _journal.Clear();
            _hooks.Clear();
            _dispatches.Clear();
            Generation++;
            ResetKnobs();
        }
    }

    private static void Trim<T>(List<T> items, int capacity)
    {
        if (capacity > 0 && items.Count > capacity)
        {
            items.RemoveRange(0, items.Count - capacity);
        }
    }

    private void ResetKnobs()
    {
        Quota = new PluginQuota { DailyLimit = Options.DailyQuota };
        Faults = new FaultSettings();
        HookSettings = new HookSettings
        {
            Url = Options.HookUrl,
            Secret = Options.HookSecret,
            AttemptLimit = Options.HookAttemptLimit,
            BackoffBase = Options.HookRetryBackoffBase,
            Timeout = Options.HookTimeout,
        };
    }

    internal static string NewToken() =>
        Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    internal static string FormatMs(long ms) => ms.ToString(CultureInfo.InvariantCulture);
}
