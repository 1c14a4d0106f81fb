using System.CommandLine;
using SpikeInit.Cli;
using SpikeInit.Cli.Commands;

var globals = new GlobalOptions();
var root = new RootCommand("SpikeInit: build, initialize, diagnose and train deep spiking neural networks.");
globals.AddTo(root);
root.Subcommands.Add(InfoCommand.Create(globals));
root.Subcommands.Add(DemoCommand.Create(globals));
return root.Parse(args).Invoke();
