using System.Text;
using IntegrationHub.Web.Features.Helpdesk;

namespace IntegrationHub.Web.Tests.Helpdesk;

/// <summary>Malformed front matter is one refused file with a reason, whatever the YAML library throws.</summary>
public sealed class DocsParserTests
{
    [Theory]
    [InlineData("title: [a\nb: c\n")]
    [InlineData("title: {a\nb: c\n")]
    [InlineData("title: [a, b\n: c\n")]
    [InlineData("title: \"a\nb: c\n")]
    [InlineData("title: 'a\nb: c\n")]
    [InlineData("? [a\n: b\n")]
    [InlineData("title: *nowhere\n")]
    [InlineData("&a [*a]\n")]
    [InlineData("title: !!binary x\nb: [\n")]
    [InlineData("title: a\n\tdescription: b\n")]
    [InlineData("title: [a\n- b\n")]
    [InlineData("%YAML 1.2\ntitle: a\n")]
    public void MalformedFrontMatter_RefusedAsInvalid(string frontMatter)
    {
        var (doc, error) = DocsParser.ParseOne("en/articles/x.md", Encoding.UTF8.GetBytes($"---\n{frontMatter}---\nx"));

        Assert.Null(doc);
        Assert.StartsWith("Invalid front matter", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DeeplyNestedFrontMatter_RefusedAsInvalid()
    {
        var (doc, error) = DocsParser.ParseOne("en/articles/x.md", Encoding.UTF8.GetBytes($"---\ntitle: {new string('[', 5000)}\n---\nx"));

        Assert.Null(doc);
        Assert.StartsWith("Invalid front matter", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomFrontMatter_NeverThrows()
    {
        const string alphabet = "ab: -?[]{},'\"&*!|>%@`#\n\t\\";
        var random = new Random(20261207);
        for (var run = 0; run < 2000; run++)
        {
            var text = new StringBuilder("title: ");
            for (var i = random.Next(1, 40); i > 0; i--)
            {
                text.Append(alphabet[random.Next(alphabet.Length)]);
            }

            var (doc, error) = DocsParser.ParseOne("en/articles/x.md", Encoding.UTF8.GetBytes($"---\n{text}\n---\nx"));

            Assert.True(doc is not null ^ error is not null, $"run {run}: exactly one of a doc or an error for {text}");
        }
    }

    [Theory]
    [InlineData("title: ~\n")]
    [InlineData("title: null\n")]
    [InlineData("title: NULL\n")]
    [InlineData("title:\n")]
    public void NullTitle_IsMissing_NotALiteralTitle(string frontMatter)
    {
        var (doc, error) = DocsParser.ParseOne("en/articles/x.md", Encoding.UTF8.GetBytes($"---\n{frontMatter}---\nx"));

        Assert.Null(doc);
        Assert.Equal("Invalid front matter: 'title' is required.", error);
    }

    [Theory]
    [InlineData("title: '~'\n", "~")]
    [InlineData("title: \"null\"\n", "null")]
    [InlineData("title: Setup\ndescription: ~\n", "Setup")]
    public void QuotedNullWords_AreTitles_AndANullDescriptionIsNone(string frontMatter, string title)
    {
        var (doc, error) = DocsParser.ParseOne("en/articles/x.md", Encoding.UTF8.GetBytes($"---\n{frontMatter}---\nx"));

        Assert.Null(error);
        Assert.Equal(title, doc!.Title);
        Assert.Null(doc.Description);
    }

    [Theory]
    [InlineData("title: \"Bell\\a\"\n", "title")]
    [InlineData("title: \"Esc\\e[31m\"\n", "title")]
    [InlineData("title: \"Next\\u0085line\"\n", "title")]
    [InlineData("title: T\ndescription: \"a\\0b\"\n", "description")]
    public void ControlCharacters_InTitleOrDescription_AreRefused(string frontMatter, string field)
    {
        var (doc, error) = DocsParser.ParseOne("en/articles/x.md", Encoding.UTF8.GetBytes($"---\n{frontMatter}---\nx"));

        Assert.Null(doc);
        Assert.Equal($"Invalid front matter: '{field}' must not contain control characters" + (field == "title" ? "." : " other than line breaks."), error);
    }
}
