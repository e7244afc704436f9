using System.IO.Compression;
using IntegrationHub.Web.Features.Helpdesk;

namespace IntegrationHub.Web.Tests.Helpdesk;

/// <summary>Reading archives safely: entries escaping the root are refused unread; size caps stop zip bombs.</summary>
public sealed class DocsInputTests
{
    [Theory]
    [InlineData("../evil.md")]
    [InlineData("en/../../evil.md")]
    [InlineData("/etc/evil.md")]
    [InlineData("C:/evil.md")]
    [InlineData("en\\..\\..\\evil.md")]
    [InlineData("C:\\evil.md")]
    [InlineData("en/./articles/evil.md")]
    public void EscapingEntry_RefusedAsZipSlip(string name)
    {
        var files = DocsInput.FromZip(new MemoryStream(Zip((name, new byte[] { 1, 2, 3 }))), new HelpdeskOptions());

        var file = Assert.Single(files);
        Assert.Null(file.Bytes);
        Assert.Contains("zip slip", file.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void HighlyCompressedArchive_StopsAtTheUnpackedLimit()
    {
        var big = new byte[200_000];
        var options = new HelpdeskOptions { MaxUnpackedBytes = 500_000 };
        var archive = Zip(Enumerable.Range(0, 5).Select(i => ($"en/articles/f{i}.md", big)).ToArray());

        var error = Assert.Throws<DocsInputException>(() => DocsInput.FromZip(new MemoryStream(archive), options));

        Assert.True(error.TooLarge);
        Assert.True(archive.Length < 10_000, "the archive itself is small: only unpacking is large");
    }

    [Fact]
    public void FileOverThePerFileLimit_RefusedOnItsOwn()
    {
        var files = DocsInput.FromZip(new MemoryStream(Zip(("en/articles/big.md", new byte[2000]), ("en/articles/small.md", "---\ntitle: S\n---\n"u8.ToArray()))), new HelpdeskOptions { MaxFileBytes = 1000 });

        Assert.Contains("larger than 1000 bytes", files.Single(f => f.Name.EndsWith("big.md", StringComparison.Ordinal)).Error, StringComparison.Ordinal);
        Assert.NotNull(files.Single(f => f.Name.EndsWith("small.md", StringComparison.Ordinal)).Bytes);
    }

    [Fact]
    public void FrontMatter_CrlfAndBom_ParsedLikeLf()
    {
        var (doc, error) = DocsParser.ParseOne("en/guides/setup/start.md", [0xEF, 0xBB, 0xBF, .. "---\r\ntitle: Start\r\nposition: 2\r\nfeatured: true\r\n---\r\nHello\r\n"u8.ToArray()]);

        Assert.Null(error);
        Assert.Equal(("guides", "setup", "start", "Start", 2, true, "Hello\n"), (doc!.ContentType, doc.Folder, doc.Slug, doc.Title, doc.Position, doc.Featured, doc.Markdown));
        Assert.True(doc.Published);
    }

    [Fact]
    public void FolderWithSymbolicLinks_LinkedFileRefusedNotSkipped_LinkedFolderRefusesTheInput()
    {
        // A skipped file looks deleted from the input: with --prune its Crisp copy would be deleted.
        var root = Directory.CreateTempSubdirectory("kb-links-").FullName;
        try
        {
            var articles = Directory.CreateDirectory(Path.Combine(root, "en", "articles")).FullName;
            File.WriteAllText(Path.Combine(articles, "real.md"), "---\ntitle: Real\n---\nBody\n");
            File.WriteAllText(Path.Combine(root, "outside.md"), "---\ntitle: Outside\n---\nsecret\n");
            File.CreateSymbolicLink(Path.Combine(articles, "linked.md"), Path.Combine(root, "outside.md"));

            var files = DocsInput.FromDirectory(root, new HelpdeskOptions());

            Assert.NotNull(files.Single(f => f.Name == "en/articles/real.md").Bytes);
            var linked = files.Single(f => f.Name == "en/articles/linked.md");
            Assert.Null(linked.Bytes);
            Assert.Contains("symbolic link", linked.Error, StringComparison.Ordinal);

            Directory.CreateSymbolicLink(Path.Combine(articles, "shared"), Path.Combine(root, "en"));
            var error = Assert.Throws<DocsInputException>(() => DocsInput.FromDirectory(root, new HelpdeskOptions()));
            Assert.Contains("en/articles/shared is a symbolic link to a folder", error.Message, StringComparison.Ordinal);
            Assert.False(error.TooLarge);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void WindowsBackslashSeparators_AreReadAsFolders()
    {
        var files = DocsInput.FromZip(new MemoryStream(Zip(("en\\articles\\setup\\start.md", "---\ntitle: Start\n---\nHi"u8.ToArray()))), new HelpdeskOptions());

        var file = Assert.Single(files);
        Assert.Equal(("en/articles/setup/start.md", null), (file.Name, file.Error));
        Assert.Equal("setup/start.md", DocsParser.ParseOne(file.Name, file.Bytes!).Doc!.TreePath);
    }

    [Fact]
    public void EntryInACompressionMethodNotRead_SaysSo_NotJustCorrupt()
    {
        var archive = Zip(("en/articles/a.md", "---\ntitle: A\n---\n"u8.ToArray()));
        // Mark the entry bzip2 (method 12) in its local header and its central directory record.
        archive[8] = 12;
        var central = archive.AsSpan().IndexOf("PK\u0001\u0002"u8);
        archive[central + 10] = 12;

        var file = Assert.Single(DocsInput.FromZip(new MemoryStream(archive), new HelpdeskOptions()));

        Assert.Null(file.Bytes);
        Assert.Contains("compressed with a method the hub does not read", file.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void OnePathTwice_OrInTwoCases_AllCopiesRefused()
    {
        var text = "---\ntitle: T\n---\n"u8.ToArray();
        var (docs, errors) = DocsParser.Parse([
            new DocsFile("en/articles/a.md", text), new DocsFile("en/articles/a.md", text),
            new DocsFile("en/articles/Faq.md", text), new DocsFile("en/articles/faq.md", text),
            new DocsFile("en/articles/other.md", text)]);

        Assert.Equal(["other.md"], docs.Select(d => d.TreePath));
        Assert.Equal(4, errors.Count);
        Assert.All(errors.Take(2), e => Assert.Contains("holds this file 2 times", e.Message, StringComparison.Ordinal));
        Assert.All(errors.Skip(2), e => Assert.Contains("differ only in letter case", e.Message, StringComparison.Ordinal));
    }

    private static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = archive.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                stream.Write(bytes);
            }
        }

        return buffer.ToArray();
    }
}
