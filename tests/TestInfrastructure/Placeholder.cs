namespace Chat.TestInfrastructure;
