using Chat.AppHost.Modes;

return args switch
{
    ["publish", .. var rest] => await PublishMode.RunAsync(rest),
    ["--launch-only", .. var rest] => await LaunchOnlyMode.RunAsync(rest),
    ["--probe-service", ..] => await ProbeServiceMode.RunAsync(),
    _ => await RunMode.RunAsync(args),
};
