using IntegrationHub.Web.Features.Contacts;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>
/// Every route reads emails through <see cref="CrispDataRules.NormalizeEmail"/> (events, the contacts path, context,
/// identity signatures): one person's address must have one spelling, or Crisp gets two people for them.
/// </summary>
public sealed class EmailNormalizationTests
{
    [Theory]
    [InlineData("bob\u200B@example.com", "U+200B")]
    [InlineData("bob\u200C@example.com", "U+200C")]
    [InlineData("bob@exa\u200Dmple.com", "U+200D")]
    [InlineData("bob\u2060@example.com", "U+2060")]
    [InlineData("\uFEFFbob@example.com", "U+FEFF")]
    [InlineData("bob@example.com\uFEFF", "U+FEFF")]
    [InlineData("bob\u200E@example.com", "U+200E")]
    [InlineData("bob\uFF20x@example.com", "U+FF20")]
    [InlineData("bob\uFF20example.com", "U+FF20")]
    [InlineData("bob\uFE6Bexample.com", "U+FE6B")]
    public void InvisibleCharactersAndAtLookAlikes_AreRefusedByName(string email, string named)
    {
        Assert.Null(CrispDataRules.NormalizeEmail(email, out var error));
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bob@bücher.de")]
    [InlineData("Bob@BÜCHER.DE")]
    [InlineData("bob@xn--bcher-kva.de")]
    [InlineData("BOB@XN--BCHER-KVA.DE")]
    [InlineData("bob@bu\u0308cher.de")]
    public void AnInternationalDomain_HasOneSpelling_ItsUnicodeForm(string email)
    {
        Assert.Equal("bob@bücher.de", CrispDataRules.NormalizeEmail(email, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("Jane.Doe+tag@Example.COM", "jane.doe+tag@example.com")]
    [InlineData("  jane@example.com ", "jane@example.com")]
    [InlineData("josé@example.com", "josé@example.com")]
    [InlineData("jose\u0301@example.com", "josé@example.com")]
    public void OtherAddresses_AreTrimmedAndLowerCased(string email, string expected)
    {
        Assert.Equal(expected, CrispDataRules.NormalizeEmail(email, out _));
    }

    [Theory]
    [InlineData("bob@xn--zz.de")]
    [InlineData("bob@b\u00FCcher-.de\u0000")]
    public void AnUndecodableDomain_IsRefused(string email)
    {
        Assert.Null(CrispDataRules.NormalizeEmail(email, out var error));
        Assert.NotNull(error);
    }
}
