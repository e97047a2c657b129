// Placeholder entry point; replaced by the issue that builds this tool.
Console.Error.WriteLine("NfDtls.Sim: not built yet");
return 2;
