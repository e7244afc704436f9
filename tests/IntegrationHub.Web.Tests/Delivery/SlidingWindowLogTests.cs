using IntegrationHub.Web.Features.Delivery;

namespace IntegrationHub.Web.Tests.Delivery;

public sealed class SlidingWindowLogTests
{
    [Fact]
    public void ClaimsWithinAvailable_AndSendsWithinValidity_NeverExceedTheBudgetInAnyWindow()
    {
        // The proof in SlidingWindowLog, checked by brute force: a greedy claimer that sends each permit at a random
        // moment of its validity, on a simulated clock, never puts more than the budget in any real window.
        const int budget = 10;
        var window = TimeSpan.FromSeconds(60);
        var validity = TimeSpan.FromSeconds(1);
        var counted = window + validity;
        var random = new Random(7);
        var log = SlidingWindowLog.Parse("");
        var sends = new List<DateTimeOffset>();
        var now = DateTimeOffset.UnixEpoch;
        for (var step = 0; step < 5_000; step++)
        {
            now += TimeSpan.FromMilliseconds(random.Next(1, 900));
            log.Prune(now, counted);
            var take = Math.Min(log.Available(budget), random.Next(0, 4));
            if (take == 0)
            {
                continue;
            }

            var at = log.Add(now, take);
            var used = random.Next(0, take + 1);
            for (var i = 0; i < used; i++)
            {
                sends.Add(now + TimeSpan.FromMilliseconds(random.Next(0, (int)validity.TotalMilliseconds)));
            }

            log.Refund(at, take - used);
        }

        Assert.True(sends.Count > 100);
        Assert.True(DeliveryHarness.MaxInAnyWindow(sends, window) <= budget);
    }

    [Fact]
    public void NextFreeAt_IsWhenTheOldestClaimsStopCounting()
    {
        var counted = TimeSpan.FromSeconds(10);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_000_000);
        var log = SlidingWindowLog.Parse("");
        log.Add(now, 3);
        log.Add(now + TimeSpan.FromSeconds(2), 2);

        Assert.Equal(0, log.Available(5));
        Assert.Equal(now + counted + TimeSpan.FromMilliseconds(1), log.NextFreeAt(5, counted, now));
        var roundTrip = SlidingWindowLog.Parse(log.ToString());
        roundTrip.Prune(now + counted + TimeSpan.FromMilliseconds(1), counted);
        Assert.Equal(3, roundTrip.Available(5));
    }
}
