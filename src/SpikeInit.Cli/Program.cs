return SpikeInit.Cli.CliApp.Invoke(SpikeInit.Cli.CliApp.CreateRoot().Parse(args));
