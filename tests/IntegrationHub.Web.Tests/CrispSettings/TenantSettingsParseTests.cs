using IntegrationHub.Web.Features.CrispSettings;

namespace IntegrationHub.Web.Tests.CrispSettings;

/// <summary>Settings as Crisp holds them may have been written by hand: one wrong value must not undo the others.</summary>
public sealed class TenantSettingsParseTests
{
    [Theory]
    [InlineData("""{"features":{"events":false,"relay":false,"auto_replies":true},"rate_budget_per_minute":"50"}""")]
    [InlineData("""{"features":{"events":false,"relay":false,"auto_replies":true},"rate_budget_per_minute":12.5}""")]
    [InlineData("""{"features":{"events":false,"relay":false,"auto_replies":true},"display_name":42}""")]
    [InlineData("""{"features":{"events":false,"relay":false,"auto_replies":true,"helpdesk":"yes"}}""")]
    public void Parse_OneValueOfTheWrongType_TheWebsitesOtherChoicesStand(string json)
    {
        var settings = TenantSettings.Parse(json);

        Assert.False(settings.Features.Events);
        Assert.False(settings.Features.Relay);
        Assert.True(settings.Features.AutoReplies);
        Assert.True(settings.Features.Helpdesk);
    }

    [Fact]
    public void Parse_WellFormed_ReadsEveryValue()
    {
        var settings = TenantSettings.Parse("""{"features":{"events":false,"relay":true,"helpdesk":false,"auto_replies":true},"rate_budget_per_minute":45,"display_name":"Acme","other":1}""");

        Assert.Equal(
            (false, true, false, true, 45, "Acme"),
            (settings.Features.Events, settings.Features.Relay, settings.Features.Helpdesk, settings.Features.AutoReplies, settings.RateBudgetPerMinute, settings.DisplayName));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"features":[true]}""")]
    public void Parse_NothingUsable_Defaults(string? json)
    {
        Assert.Equal(new TenantFeatures(), TenantSettings.Parse(json).Features);
    }
}
