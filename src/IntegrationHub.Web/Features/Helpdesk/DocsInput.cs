using System.IO.Compression;
using System.Text;

namespace IntegrationHub.Web.Features.Helpdesk;

/// <summary>One input file as given (its relative path and bytes), before it is parsed.</summary>
public sealed record DocsFile(string Name, byte[]? Bytes, string? Error = null);

/// <summary>The whole input was refused (too large, not a zip): nothing of it is planned.</summary>
public sealed class DocsInputException(string message, bool tooLarge = false) : Exception(message)
{
    public bool TooLarge { get; } = tooLarge;
}

/// <summary>
/// Reads docs from a zip archive or a folder into <see cref="DocsFile"/>s. Entries that would escape the root
/// ("zip slip": <c>..</c>, absolute paths, drive letters) are refused per file and never read; sizes are
/// capped per file, per archive and in total unpacked, so a zip bomb stops early.
/// </summary>
public static class DocsInput
{
    public static IReadOnlyList<DocsFile> FromZip(Stream zip, HelpdeskOptions options)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            throw new DocsInputException("The upload is not a valid zip archive.");
        }

        using (archive)
        {
            var files = new List<DocsFile>();
            long unpacked = 0;
            foreach (var entry in archive.Entries)
            {
                // Windows tools (PowerShell 5's Compress-Archive, older .NET) write '\' between folders; no name the
                // hub syncs can hold one, so it is read as the separator (and then checked for escaping like any name).
                var name = entry.FullName.Replace('\\', '/');
                if (name.EndsWith('/') && entry.Length == 0)
                {
                    continue; // a directory entry
                }

                if (files.Count >= options.MaxFiles)
                {
                    throw new DocsInputException($"The archive holds more than {options.MaxFiles} files.", tooLarge: true);
                }

                if (EscapeError(name) is { } escape)
                {
                    files.Add(new DocsFile(name, null, escape));
                    continue;
                }

                if (Ignored(name))
                {
                    continue;
                }

                if (entry.Length > options.MaxFileBytes)
                {
                    files.Add(new DocsFile(name, null, $"The file is larger than {options.MaxFileBytes} bytes."));
                    continue;
                }

                try
                {
                    using var stream = entry.Open();
                    var bytes = ReadCapped(stream, options.MaxFileBytes);
                    if (bytes is null)
                    {
                        files.Add(new DocsFile(name, null, $"The file is larger than {options.MaxFileBytes} bytes."));
                        continue;
                    }

                    unpacked += bytes.Length;
                    if (unpacked > options.MaxUnpackedBytes)
                    {
                        throw new DocsInputException($"The archive unpacks to more than {options.MaxUnpackedBytes} bytes.", tooLarge: true);
                    }

                    files.Add(new DocsFile(name, bytes));
                }
                catch (InvalidDataException)
                {
                    // The same exception says "corrupt" and "compressed with a method this runtime lacks" (bzip2, LZMA…).
                    files.Add(new DocsFile(name, null,
                        "The zip entry cannot be read: it is corrupt, or compressed with a method the hub does not read (only Deflate and Store are; re-create the zip with the default settings)."));
                }
            }

            return files;
        }
    }

    public static IReadOnlyList<DocsFile> FromDirectory(string root, HelpdeskOptions options)
    {
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new DocsInputException($"No such folder: {root}");
        }

        var files = new List<DocsFile>();
        foreach (var entry in Entries(full).OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(full, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (Ignored(name))
            {
                continue;
            }

            if (entry.LinkTarget is not null)
            {
                // Links are not followed (one could reach outside the folder), but they are not skipped quietly either: a
                // skipped file would look deleted from the input, and --prune would delete its Crisp copy.
                if (entry is DirectoryInfo || Directory.Exists(entry.FullName))
                {
                    throw new DocsInputException($"{name} is a symbolic link to a folder: the hub does not follow links; put the folder itself there. Nothing was synced.");
                }

                files.Add(new DocsFile(name, null, "The file is a symbolic link: the hub does not follow links; put the file itself there."));
                continue;
            }

            if (files.Count >= options.MaxFiles)
            {
                throw new DocsInputException($"The folder holds more than {options.MaxFiles} files.", tooLarge: true);
            }

            var length = ((FileInfo)entry).Length;
            files.Add(length > options.MaxFileBytes
                ? new DocsFile(name, null, $"The file is larger than {options.MaxFileBytes} bytes.")
                : new DocsFile(name, File.ReadAllBytes(entry.FullName)));
        }

        return files;
    }

    /// <summary>Every file and every symbolic link under <paramref name="root"/>, without descending into linked folders.</summary>
    private static IEnumerable<FileSystemInfo> Entries(string root)
    {
        var folders = new Stack<DirectoryInfo>([new DirectoryInfo(root)]);
        while (folders.TryPop(out var folder))
        {
            foreach (var entry in folder.EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0 }))
            {
                if (entry is DirectoryInfo directory && entry.LinkTarget is null)
                {
                    folders.Push(directory);
                }
                else
                {
                    yield return entry;
                }
            }
        }
    }

    /// <summary>Why an archive entry name could land outside the extraction root, or null.</summary>
    public static string? EscapeError(string name)
    {
        if (name.Length == 0 || name.Contains('\\', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal)
            || name.StartsWith('/') || (name.Length > 1 && name[1] == ':')
            || name.Split('/').Any(s => s is ".." or "."))
        {
            return "The path escapes the archive root (zip slip); the file was not read.";
        }

        return null;
    }

    /// <summary>Operating-system clutter (dot files, __MACOSX) that is not meant as content.</summary>
    private static bool Ignored(string name) => name.Split('/').Any(s => (s.StartsWith('.') && s is not ("." or "..")) || s == "__MACOSX");

    private static byte[]? ReadCapped(Stream stream, int max)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }

    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
