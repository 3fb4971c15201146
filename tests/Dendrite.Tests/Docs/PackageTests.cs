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

        AnAppReferencingTheLibraryLoadsItsReadyToRunImage(dir, feed, version);

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

    // The library package holds the IL for every platform and a ReadyToRun image for linux-x64; an app built against
    // it with `dotnet build` (no runtime identifier) loads the image on linux-x64 and the IL elsewhere.
    private static void AnAppReferencingTheLibraryLoadsItsReadyToRunImage(TempDir dir, string feed, string version)
    {
        using (var package = ZipFile.OpenRead(Path.Combine(feed, $"Dendrite.{version}.nupkg")))
        {
            Assert.False(IsReadyToRun(package.GetEntry("lib/net10.0/Dendrite.dll")!), "lib/ should hold the IL");
            Assert.True(IsReadyToRun(package.GetEntry("runtimes/linux-x64/lib/net10.0/Dendrite.dll")!), "runtimes/linux-x64 should hold a ReadyToRun image");
        }
        string app = dir.File("app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
              <ItemGroup><PackageReference Include="Dendrite" Version="{version}" /></ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using System.Reflection.PortableExecutable;
            var asm = typeof(Dendrite.Tensor).Assembly;
            using var pe = new PEReader(File.OpenRead(asm.Location));
            Console.WriteLine($"{pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0} {Dendrite.Tensor.FromArray(new float[] { 1, 2, 3.5f }).Sum().Item()}");
            """);
        // Dendrite from the local feed into a cache of its own; its dependencies from the machine's package cache.
        string global = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } g ? g
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /><add key="local" value="{feed}" /></packageSources>
            <fallbackPackageFolders><add key="machine" value="{global}" /></fallbackPackageFolders></configuration>
            """);
        var (code, output) = Run(Dotnet, ["run", "-c", "Release"], app, new Dictionary<string, string> { ["NUGET_PACKAGES"] = dir.File("app-packages") });
        Assert.True(code == 0, output);
        bool linuxX64 = OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64;
        Assert.Equal($"{linuxX64} 6.5", output.Trim().Split('\n')[^1]);
    }

    private static bool IsReadyToRun(ZipArchiveEntry entry)
    {
        using var stream = new MemoryStream();
        using (var s = entry.Open())
            s.CopyTo(stream);
        stream.Position = 0;
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        return pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
    }

    [Fact]
    public void TheReadmeSaysHowToInstallTheToolFromALocalFeed()
    {
        string readme = ReadmeExampleTests.Readme();
        Assert.Contains("dotnet pack src/Dendrite.Cli -c Release -o nupkg", readme);
        Assert.Contains("dotnet tool install --global --add-source ./nupkg Dendrite.Cli", readme);
    }
}
