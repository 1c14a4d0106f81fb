return SpikeInit.Cli.CliApp.CreateRoot().Parse(args).Invoke();
