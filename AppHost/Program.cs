using Chat.AppHost.Modes;

return args switch
{
    ["--launch-only", .. var rest] => await LaunchOnlyMode.RunAsync(rest),
    _ => 2,
};
