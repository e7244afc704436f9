namespace IntegrationHub.Drills;

/// <summary>One thing a drill checked: what, whether it held, and what it found.</summary>
public sealed record DrillCheck(string Name, bool Passed, string Found);

/// <summary>
/// What a drill checked and found, printed as it goes. A drill never throws for a violation: it records a failed
/// check, so the script can print everything and exit non-zero, and a test can assert on each check by name.
/// </summary>
public sealed class DrillReport(string drill, TextWriter output)
{
    private readonly List<DrillCheck> _checks = [];
    private readonly List<string> _facts = [];

    public string Drill { get; } = drill;

    public IReadOnlyList<DrillCheck> Checks => _checks;

    public IReadOnlyList<string> Facts => _facts;

    public bool Passed => _checks.Count > 0 && _checks.All(c => c.Passed);

    public IEnumerable<DrillCheck> Violations => _checks.Where(c => !c.Passed);

    /// <summary>Something observed (counts, timings) that is not itself a pass/fail check.</summary>
    public void Fact(string text)
    {
        _facts.Add(text);
        Write($"  · {text}");
    }

    public bool Check(string name, bool passed, string found)
    {
        _checks.Add(new DrillCheck(name, passed, found));
        Write($"  {(passed ? "OK  " : "FAIL")} {name}: {found}");
        return passed;
    }

    public void Step(string text) => Write($"[{Drill}] {text}");

    public DrillCheck this[string name] => _checks.Single(c => c.Name == name);

    public string Summary() =>
        $"{Drill}: {_checks.Count(c => c.Passed)}/{_checks.Count} checks held"
        + (Passed ? string.Empty : "; violated: " + string.Join("; ", Violations.Select(v => $"{v.Name} ({v.Found})")));

    private void Write(string line)
    {
        lock (output)
        {
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
            output.Flush();
        }
    }
}
