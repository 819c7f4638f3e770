namespace Chat.Contracts;
