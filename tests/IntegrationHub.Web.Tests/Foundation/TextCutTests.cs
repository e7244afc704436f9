using IntegrationHub.Web.Infrastructure.Text;

namespace IntegrationHub.Web.Tests.Foundation;

public sealed class TextCutTests
{
    [Theory]
    [InlineData("abc", 5, "abc")]
    [InlineData("abcdef", 3, "abc")]
    [InlineData("ab\U0001F600", 3, "ab")]                               // an emoji is two chars: never half of it
    [InlineData("ab\U0001F600c", 4, "ab\U0001F600")]
    [InlineData("abe\u0301", 3, "ab")]                                  // e + combining acute stays together
    [InlineData("a\U0001F44D\U0001F3FD", 4, "a")]                       // thumbs up + skin tone
    [InlineData("a\U0001F1EB\U0001F1F7", 3, "a")]                       // a flag is two regional indicators
    [InlineData("a\U0001F469\u200D\U0001F467", 5, "a")]                 // woman ZWJ girl: one family
    [InlineData("\U0001F600\U0001F600", 1, "")]                         // nothing whole fits
    public void Truncate_CutsOnATextElementBoundary(string text, int max, string expected) =>
        Assert.Equal(expected, TextCut.Truncate(text, max));

    [Fact]
    public void Truncate_OneElementLongerThanTheLimit_IsCutBetweenCodePoints()
    {
        var zalgo = "a" + new string('\u0301', 50);

        Assert.Equal("a" + new string('\u0301', 9), TextCut.Truncate(zalgo, 10));
    }

    [Fact]
    public void WithoutLoneSurrogates_DropsOnlyUnpairedHalves()
    {
        // Built in code: an attribute's string argument cannot carry a lone surrogate.
        const char high = '\uD83D', low = '\uDE00';

        Assert.Equal("ok \U0001F600", TextCut.WithoutLoneSurrogates("ok \U0001F600"));
        Assert.Equal("cut ", TextCut.WithoutLoneSurrogates("cut " + high));
        Assert.Equal(" tail", TextCut.WithoutLoneSurrogates(low + " tail"));
        Assert.Equal("abc", TextCut.WithoutLoneSurrogates("a" + high + "b" + low + "c"));
        Assert.Equal("a\U0001F600", TextCut.WithoutLoneSurrogates("a" + low + high + low));
    }
}
