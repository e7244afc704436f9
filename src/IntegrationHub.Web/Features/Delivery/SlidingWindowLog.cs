using System.Globalization;
using System.Text;

namespace IntegrationHub.Web.Features.Delivery;

/// <summary>
/// The budget's sliding log: each claim of n permits at time t is an entry (t, n) that counts against the budget
/// until t + W, where W = budget window + permit validity + safety margin. A permit is only used for sending within
/// [t, t + validity]. So every real window [a, a + window] holds requests only from claims made in
/// [a − validity, a + window]; when the last of those claims was made, all of them were in its counted window W,
/// so together they hold at most the budget. Unused permits are given back (entries only shrink), which can only
/// lower a count. Stored as text on the tenant's state row: "unixMs:count;…".
/// </summary>
public sealed class SlidingWindowLog
{
    private readonly List<(long AtMs, int Count)> _entries;

    private SlidingWindowLog(List<(long, int)> entries) => _entries = entries;

    public static SlidingWindowLog Parse(string? text)
    {
        var entries = new List<(long, int)>();
        if (!string.IsNullOrEmpty(text))
        {
            foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                var colon = part.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0
                    && long.TryParse(part.AsSpan(0, colon), NumberStyles.Integer, CultureInfo.InvariantCulture, out var at)
                    && int.TryParse(part.AsSpan(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
                    && count > 0)
                {
                    entries.Add((at, count));
                }
            }
        }

        entries.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return new SlidingWindowLog(entries);
    }

    public int Total => _entries.Sum(e => e.Count);

    /// <summary>Forgets claims that no longer count at <paramref name="now"/>.</summary>
    public void Prune(DateTimeOffset now, TimeSpan countedWindow)
    {
        var horizon = (now - countedWindow).ToUnixTimeMilliseconds();
        _entries.RemoveAll(e => e.AtMs <= horizon);
    }

    /// <summary>Permits free right now under <paramref name="budget"/>.</summary>
    public int Available(int budget) => Math.Max(0, budget - Total);

    /// <summary>When enough entries will have expired for one permit to be free under <paramref name="budget"/>.</summary>
    public DateTimeOffset NextFreeAt(int budget, TimeSpan countedWindow, DateTimeOffset now)
    {
        var excess = Total - budget + 1;
        if (excess <= 0)
        {
            return now;
        }

        foreach (var (at, count) in _entries)
        {
            excess -= count;
            if (excess <= 0)
            {
                return DateTimeOffset.FromUnixTimeMilliseconds(at) + countedWindow + TimeSpan.FromMilliseconds(1);
            }
        }

        return now + countedWindow;
    }

    public long Add(DateTimeOffset at, int count)
    {
        var ms = at.ToUnixTimeMilliseconds();
        var index = _entries.FindIndex(e => e.AtMs == ms);
        if (index >= 0)
        {
            _entries[index] = (ms, _entries[index].Count + count);
        }
        else
        {
            _entries.Add((ms, count));
            _entries.Sort((a, b) => a.AtMs.CompareTo(b.AtMs));
        }

        return ms;
    }

    /// <summary>Gives back permits of the claim made at <paramref name="atMs"/> that were never used.</summary>
    public void Refund(long atMs, int count)
    {
        var index = _entries.FindIndex(e => e.AtMs == atMs);
        if (index < 0 || count <= 0)
        {
            return;
        }

        var left = _entries[index].Count - count;
        if (left > 0)
        {
            _entries[index] = (atMs, left);
        }
        else
        {
            _entries.RemoveAt(index);
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (at, count) in _entries)
        {
            text.Append(at.ToString(CultureInfo.InvariantCulture)).Append(':').Append(count.ToString(CultureInfo.InvariantCulture)).Append(';');
        }

        return text.ToString();
    }
}
