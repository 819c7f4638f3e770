using Chat.Benchmarks.Cli;

return await BenchmarkCli.RunAsync(args);
