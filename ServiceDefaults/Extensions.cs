namespace Chat.ServiceDefaults;
