// Placeholder entry point; replaced by the portability-guard issue.
Console.Error.WriteLine("guard: not built yet");
return 2;
