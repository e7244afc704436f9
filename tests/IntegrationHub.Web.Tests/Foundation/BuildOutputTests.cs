using System.Diagnostics;
using System.Text.Json;

namespace IntegrationHub.Web.Tests.Foundation;

/// <summary>
/// A development run leaves its data directory (SQLite file, local key ring) under the hub's project folder; the Web
/// SDK took <c>App_Data/keys/kek.json</c> for content, so every build and <c>dotnet publish</c> — and the image the
/// Dockerfile publishes — carried the developer's key-encryption keys.
/// </summary>
public sealed class BuildOutputTests
{
    [Fact]
    public async Task DevelopmentDataDirectory_IsNeitherContentNorCopiedToAnyOutput()
    {
        var project = new FileInfo(Path.Combine(RepositoryRoot(), "src", "IntegrationHub.Web", "IntegrationHub.Web.csproj"));
        var folder = Directory.CreateTempSubdirectory("hub-project-");
        try
        {
            // The project file alone, beside what a development run leaves behind: its globs decide what is content.
            project.CopyTo(Path.Combine(folder.FullName, project.Name));
            Directory.CreateDirectory(Path.Combine(folder.FullName, "App_Data", "keys"));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "App_Data", "keys", "kek.json"), "{}");
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "App_Data", "hub.db"), "");
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "appsettings.json"), "{}");

            var items = await EvaluateItemsAsync(Path.Combine(folder.FullName, project.Name), "Content", "None");

            Assert.Contains("appsettings.json", items); // the evaluation did see the folder's files
            Assert.DoesNotContain(items, item => item.StartsWith("App_Data", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<List<string>> EvaluateItemsAsync(string projectPath, params string[] itemTypes)
    {
        var start = new ProcessStartInfo("dotnet", ["msbuild", projectPath, "-nologo", .. itemTypes.Select(t => $"-getItem:{t}")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(process.ExitCode == 0, await output + await errors);

        using var document = JsonDocument.Parse(await output);
        var identities = new List<string>();
        foreach (var type in itemTypes)
        {
            if (document.RootElement.GetProperty("Items").TryGetProperty(type, out var items))
            {
                identities.AddRange(items.EnumerateArray().Select(item => item.GetProperty("Identity").GetString()!.Replace('\\', '/')));
            }
        }

        return identities;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IntegrationHub.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("IntegrationHub.sln not found above the test output.");
    }
}
