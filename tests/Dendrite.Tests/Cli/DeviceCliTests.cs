using System.Text.Json.Nodes;

namespace Dendrite.Tests.Cli;

/// <summary>--device on train, eval, search and lab run, and `dendrite devices`.</summary>
public sealed class DeviceCliTests
{
    [Fact]
    public void DevicesListsEveryDeviceAndSaysWhyCudaIsMissing()
    {
        using var cli = new CliHarness();
        var (code, stdout, err) = cli.Run("devices");
        Assert.Equal(0, code);
        Assert.Contains("cpu", stdout);
        Assert.Contains("ilgpu-cpu", stdout);
        (code, stdout, _) = cli.Run("devices", "--json");
        Assert.Equal(0, code);
        var json = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal(Device.CudaIsAvailable, json["cudaAvailable"]!.GetValue<bool>());
        Assert.Equal(Device.CudaIsAvailable ? "cuda:0" : "cpu", json["auto"]!.GetValue<string>());
        Assert.Contains(json["devices"]!.AsArray(), d => d!["device"]!.GetValue<string>() == "ilgpu-cpu");
        if (!Device.CudaIsAvailable)
        {
            Assert.Equal(Device.CudaUnavailableReason, json["cudaUnavailableReason"]!.GetValue<string>());
            (_, stdout, err) = cli.Run("devices");
            Assert.Contains("CUDA is not available: " + Device.CudaUnavailableReason, stdout + err);
        }
    }

    [Fact]
    public void CudaWhereThereIsNoneIsAUsageErrorOnEveryCommand()
    {
        if (Device.CudaIsAvailable)
            return;
        using var cli = new CliHarness();
        string output = Path.Combine(cli.Root, "runs");
        foreach (var args in new[]
                 {
                     new[] { "train", "--dataset", "moons", "--device", "cuda", "--out", output },
                     ["search", "--dataset", "moons", "--device", "cuda:1", "--out", output],
                     ["lab", "run", "perceptron", "--device", "cuda", "--out", output],
                 })
        {
            var (code, stdout, err) = cli.Run(args);
            Assert.Equal(2, code);
            Assert.Contains("CUDA is not available here (" + Device.CudaUnavailableReason + ")", err);
            Assert.Equal("", stdout);
            Assert.False(Directory.Exists(output));
        }
    }

    [Fact]
    public void TheChosenDeviceIsPrintedAndSavedAndEvalFollowsIt()
    {
        using var cli = new CliHarness();
        string output = Path.Combine(cli.Root, "runs");
        var (code, stdout, err) = cli.Run("train", "--dataset", "moons", "--epochs", "2", "--device", "auto", "--out", output);
        Assert.True(code == 0, err);
        string expected = Device.CudaIsAvailable ? "cuda:0" : "cpu";
        Assert.Contains("device: " + expected, stdout);
        string run = Assert.Single(Directory.GetDirectories(output));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!;
        Assert.Equal(expected, config["settings"]!["device"]!.GetValue<string>());
        Assert.Equal(expected, config["device"]!.GetValue<string>());
        (code, stdout, err) = cli.Run("eval", "--checkpoint", Path.Combine(run, "best.safetensors"), "--device", "cpu", "--json");
        Assert.True(code == 0, err);
        Assert.Equal("cpu", JsonNode.Parse(stdout)!["device"]!.GetValue<string>());
        (code, _, err) = cli.Run("eval", "--checkpoint", Path.Combine(run, "best.safetensors"), "--device", "tpu");
        Assert.Equal(2, code);
        Assert.Contains("--device is 'tpu': not a device", err);
    }
}
