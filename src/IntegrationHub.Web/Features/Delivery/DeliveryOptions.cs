using IntegrationHub.Web.Features.CrispSettings;

namespace IntegrationHub.Web.Features.Delivery;

/// <summary>The delivery engine's knobs (<c>Delivery:*</c>), validated at start-up. See the README's configuration table.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>Crisp requests per <see cref="BudgetWindow"/> per tenant, unless the tenant's settings say otherwise.</summary>
    public int DefaultBudgetPerMinute { get; set; } = 30;

    /// <summary>The most a tenant may set: the settings pages refuse more, and a <c>rate_budget_per_minute</c> written in
    /// Crisp is clamped to it. <c>CrispSettings:MaxBudgetPerMinute</c> is read as an alias (<see cref="LegacyMaxBudget"/>).</summary>
    public int MaxBudgetPerMinute { get; set; } = 120;

    /// <summary>The sliding window the budget applies to: never more than the budget in ANY window of this length.
    /// One minute in production; tests shorten it to keep the proof fast.</summary>
    public TimeSpan BudgetWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a claimed permit may be used for sending. The budget counts a claim for
    /// <see cref="BudgetWindow"/> + this + <see cref="PermitSafetyMargin"/>, which keeps every real window under budget.</summary>
    public TimeSpan PermitValidity { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Slack for the time between the hub starting a request and Crisp receiving it.</summary>
    public TimeSpan PermitSafetyMargin { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>After a 429/420, the budget is multiplied by this (never below <see cref="MinBudgetFactor"/>).</summary>
    public double RateLimitBudgetFactor { get; set; } = 0.5;

    public double MinBudgetFactor { get; set; } = 0.1;

    /// <summary>How much of the configured budget comes back per minute without rate limiting.</summary>
    public double BudgetRecoveryPerMinute { get; set; } = 0.1;

    /// <summary>Back-off after a 429/420 without Retry-After: base × 2^(n-1), capped; never shorter than a budget window.</summary>
    public TimeSpan RateLimitBackoffBase { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan RateLimitBackoffMax { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Tries of a call failing with 5xx, timeouts or connection errors before it is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Retry n waits base × multiplier^(n-1) (capped at <see cref="RetryMaxDelay"/>), with ±20% jitter:
    /// 1 min, 4, 16, 64 min, 4.3 h, 8 h, 8 h — about 22 hours for 8 attempts.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(1);

    public double RetryMultiplier { get; set; } = 4;

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long a drain owns a tenant's queue (and its claimed calls); an expired lease is reclaimed.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one drain job works for one tenant before giving the worker back.</summary>
    public TimeSpan DrainSlice { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A drain that is out of budget waits in place for the next permit when it frees within this.</summary>
    public TimeSpan MaxBudgetWait { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Most calls claimed by one drain round.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Calls of different contacts sent at once by one drain.</summary>
    public int DrainParallelism { get; set; } = 16;

    /// <summary>How often each node's dispatcher looks for tenants with due calls.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The plugin token's daily request quota (whole plugin, all tenants); 0 = not tracked.</summary>
    public int DailyQuota { get; set; } = 50_000;

    /// <summary>Fraction of <see cref="DailyQuota"/> after which calls pause (kept, not dropped) until the next UTC day.</summary>
    public double QuotaPauseThreshold { get; set; } = 0.95;

    public TimeSpan CountedWindow => BudgetWindow + PermitValidity + PermitSafetyMargin;

    /// <summary>
    /// A tenant's Crisp calls per minute as delivery enforces them: its <c>rate_budget_per_minute</c> setting within
    /// <see cref="MaxBudgetPerMinute"/>, else <see cref="DefaultBudgetPerMinute"/>. Everything that shows or costs a
    /// budget (settings pages, overview, reports, rule previews) asks here, so none shows a number delivery won't keep.
    /// </summary>
    public int BudgetPerMinute(string? settingsJson) =>
        TenantSettings.ChosenBudget(settingsJson) is { } chosen ? Math.Clamp(chosen, MinBudgetPerMinute, MaxBudgetPerMinute) : DefaultBudgetPerMinute;

    /// <summary>
    /// The smallest budget a tenant may have: what the costliest call can need (<see cref="Executors.CrispCallExecutor.MaxRequestsPerCall"/>).
    /// A call's requests must fit in one claim — the permit gate stops a call at the
    /// end of its claim and the call starts again from its first request — so under a smaller budget such a call could
    /// never finish and would block its contact's queue for good. Rather than let one window hold more requests than
    /// the customer allowed, the settings pages refuse less, delivery raises a smaller number written in Crisp to it,
    /// and a budget lowered after rate limiting never goes below it.
    /// </summary>
    public const int MinBudgetPerMinute = Executors.CrispCallExecutor.MaxRequestsPerCall;

    /// <summary>
    /// The budget a settings form should write: nothing when the website never chose one and the form kept the hub
    /// default it was shown — saving another field must not pin the website to today's default.
    /// </summary>
    public int? BudgetToStore(string? settingsJson, int submitted) =>
        submitted == DefaultBudgetPerMinute && TenantSettings.ChosenBudget(settingsJson) is null ? null : submitted;

    /// <summary>Problems found while reading the configuration itself (see <see cref="LegacyMaxBudget"/>).</summary>
    internal List<string> ConfigurationErrors { get; } = [];

    public IEnumerable<string> Validate()
    {
        foreach (var error in ConfigurationErrors)
        {
            yield return error;
        }

        if (DefaultBudgetPerMinute < MinBudgetPerMinute || MaxBudgetPerMinute < DefaultBudgetPerMinute)
        {
            yield return $"Delivery:DefaultBudgetPerMinute must be >= {MinBudgetPerMinute} (the Crisp requests of the costliest call) and <= Delivery:MaxBudgetPerMinute.";
        }

        if (BudgetWindow <= TimeSpan.Zero || PermitValidity <= TimeSpan.Zero || PermitSafetyMargin < TimeSpan.Zero)
        {
            yield return "Delivery:BudgetWindow and PermitValidity must be positive, PermitSafetyMargin not negative.";
        }

        if (RateLimitBudgetFactor is <= 0 or >= 1 || MinBudgetFactor is <= 0 or > 1 || BudgetRecoveryPerMinute <= 0)
        {
            yield return "Delivery budget factors must lie in (0, 1) and recovery must be positive.";
        }

        if (MaxAttempts < 1 || RetryBaseDelay <= TimeSpan.Zero || RetryMultiplier < 1 || RetryMaxDelay < RetryBaseDelay)
        {
            yield return "Delivery retry settings: MaxAttempts >= 1, RetryBaseDelay > 0, RetryMultiplier >= 1, RetryMaxDelay >= RetryBaseDelay.";
        }

        if (RateLimitBackoffBase <= TimeSpan.Zero || RateLimitBackoffMax < RateLimitBackoffBase)
        {
            yield return "Delivery:RateLimitBackoffBase must be positive and <= RateLimitBackoffMax.";
        }

        if (LeaseDuration <= DrainSlice + PermitValidity || DrainSlice <= TimeSpan.Zero || MaxBudgetWait < TimeSpan.Zero)
        {
            yield return "Delivery:LeaseDuration must exceed DrainSlice + PermitValidity (a drain never outlives its lease).";
        }

        if (BatchSize < 1 || DrainParallelism < 1 || DispatchInterval <= TimeSpan.Zero)
        {
            yield return "Delivery:BatchSize, DrainParallelism and DispatchInterval must be positive.";
        }

        if (DailyQuota < 0 || QuotaPauseThreshold is <= 0 or > 1)
        {
            yield return "Delivery:DailyQuota must be >= 0 and QuotaPauseThreshold in (0, 1].";
        }
    }
}
