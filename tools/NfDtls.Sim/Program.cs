// The fleet simulator: the README's first command. Sensor nodes (the board code) push SenML readings over CoAP/DTLS
// to a gateway, on a seeded virtual network (default, deterministic) or on loopback UDP (--udp). Prints a live
// progress line on stderr and the summary on stdout. `--help` for flags.
using NfDtls.Sim;

return SimProgram.Run(args);
