using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Dendrite.Tests.Data;

namespace Dendrite.Tests.Docs;

/// <summary>
/// The NuGet packages (the library, its ONNX exporter and the <c>dendrite</c> tool) pack without warnings, with complete metadata,
/// and the tool installs from a local feed and runs, as the README says.
/// </summary>
public sealed class PackageTests
{
    private static string RepoRoot([CallerFilePath] string here = "")
    {
        for (var dir = Path.GetDirectoryName(here); dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "Dendrite.slnx")))
                return dir;
        throw new DirectoryNotFoundException($"no Dendrite.slnx above {here}");
    }

    // The configuration these tests were built in: the packages are made from the same build outputs.
    private static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";

    private static (int Code, string Output) Run(string file, IEnumerable<string> args, string workDir, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDir };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
            psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output + err.Result);
    }

    private static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    [Fact]
    public void ThePackagesHaveFullMetadataAndTheToolInstallsFromALocalFeed()
    {
        string root = RepoRoot();
        using var dir = new TempDir();
        string feed = dir.File("feed");
        string version = XElement.Load(Path.Combine(root, "Directory.Build.props")).Descendants("Version").Single().Value;
        foreach (var project in new[] { "src/Dendrite", "src/Dendrite.Onnx", "src/Dendrite.Cli" })
        {
            var (code, output) = Run(Dotnet, ["pack", project, "-c", Configuration, "--no-build", "-o", feed], root);
            Assert.True(code == 0, output);
            Assert.DoesNotContain("warning", output, StringComparison.OrdinalIgnoreCase);
        }
        foreach (var id in new[] { "Dendrite", "Dendrite.Onnx", "Dendrite.Cli" })
        {
            using var package = ZipFile.OpenRead(Path.Combine(feed, $"{id}.{version}.nupkg"));
            var nuspec = XElement.Load(package.GetEntry($"{id}.nuspec")!.Open());
            var ns = nuspec.GetDefaultNamespace();
            var meta = nuspec.Element(ns + "metadata")!;
            string Field(string name) => meta.Element(ns + name)?.Value ?? "";
            Assert.Equal(id, Field("id"));
            Assert.Matches(@"^\d+\.\d+\.\d+", Field("version"));
            Assert.NotEqual("1.0.0", Field("version")); // the SDK's default: no version was set
            Assert.Equal("expression", meta.Element(ns + "license")!.Attribute("type")!.Value);
            Assert.NotEmpty(Field("license"));
            Assert.Equal("README.md", Field("readme"));
            Assert.NotNull(package.GetEntry("README.md"));
            Assert.True(Uri.TryCreate(Field("projectUrl"), UriKind.Absolute, out var url) && url.Scheme == "https", Field("projectUrl"));
            Assert.Equal(Field("projectUrl"), meta.Element(ns + "repository")!.Attribute("url")!.Value);
            Assert.Contains("deep-learning", Field("tags"));
            Assert.True(Field("description").Length > 40, Field("description"));
            Assert.NotEmpty(Field("authors"));
        }

        // Offline: a config that knows only the local feed, and a package cache of its own (never a stale copy).
        File.WriteAllText(dir.File("nuget.config"),
            $"""<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /><add key="local" value="{feed}" /></packageSources></configuration>""");
        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = dir.File("packages") };
        string tools = dir.File("tools");
        var (installCode, installOutput) = Run(Dotnet, ["tool", "install", "Dendrite.Cli", "--tool-path", tools, "--configfile", dir.File("nuget.config"), "--version", version],
            dir.Path, env);
        Assert.True(installCode == 0, installOutput);
        var (listCode, list) = Run(Path.Combine(tools, "dendrite"), ["lab", "list", "--json"], dir.Path);
        Assert.True(listCode == 0, list);
        Assert.Equal(Dendrite.Cli.Lab.ExperimentRegistry.All.Count, JsonNode.Parse(list)!.AsArray().Count);
    }

    [Fact]
    public void TheReadmeSaysHowToInstallTheToolFromALocalFeed()
    {
        string readme = ReadmeExampleTests.Readme();
        Assert.Contains("dotnet pack src/Dendrite.Cli -c Release -o nupkg", readme);
        Assert.Contains("dotnet tool install --global --add-source ./nupkg Dendrite.Cli", readme);
    }
}
