using SpikeInit.Cli;
using Spectre.Console;
using Spectre.Console.Testing;

namespace SpikeInit.Tests;

public sealed class CliTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), $"spikeinit-cli-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var console = new TestConsole().Width(200);
        var err = new StringWriter();
        var parse = CliApp.CreateRoot(console).Parse(args);
        parse.InvocationConfiguration.Error = err;
        parse.InvocationConfiguration.Output = new StringWriter();
        int code = parse.Invoke();
        return (code, console.Output + parse.InvocationConfiguration.Output, err.ToString());
    }

    [Fact]
    public void Info_prints_versions_and_threads()
    {
        var (code, output, _) = Run("info", "--threads", "1");
        Assert.Equal(0, code);
        Assert.Contains("TorchSharp", output);
        Assert.Contains("0.107.0", output);
        Assert.Contains("2.10.0", output);
        Assert.Matches(@"threads\s+│\s+1", output);
    }

    [Fact]
    public void Demo_runs_the_builtin_network_and_writes_csv()
    {
        var (code, output, err) = Run("demo", "--depth", "3", "--width", "64", "--steps", "5", "--batch", "2", "--out", dir, "--seed", "3");
        Assert.True(code == 0, err);
        Assert.Contains("seed 3", output);
        string[] lines = File.ReadAllLines(Path.Combine(dir, "demo.csv"));
        Assert.Equal("layer,time,firing_rate,silent_fraction,membrane_mean,membrane_var", lines[0]);
        Assert.Equal(1 + 4 * 5, lines.Length);
        var (_, again, _) = Run("demo", "--depth", "3", "--width", "64", "--steps", "5", "--batch", "2", "--seed", "3");
        Assert.Equal(output.Split("wrote")[0], again.Split("wrote")[0]);
    }

    [Theory]
    [InlineData("beta = 1.5 is outside the valid range [0, 1]", "demo", "--beta", "1.5")]
    [InlineData("theta = 0 is outside the valid range (0, ∞)", "demo", "--theta", "0")]
    [InlineData("threads = -1 must be at least 0", "info", "--threads", "-1")]
    [InlineData("width = 0 must be at least 1", "demo", "--width", "0")]
    public void User_errors_print_one_clear_line_and_exit_2(string message, params string[] args)
    {
        var (code, _, err) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("error: " + message, err.Trim());
    }

    [Fact]
    public void Unknown_options_are_parse_errors() => Assert.NotEqual(0, Run("demo", "--no-such-option").Code);

    [Fact]
    public void Version_and_help_work()
    {
        Assert.Equal(0, Run("--version").Code);
        Assert.Equal(0, Run("--help").Code);
    }
}
