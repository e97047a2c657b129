namespace NfDtls.Vectors
{
    /// <summary>
    /// boards/esp32-devkitc/board.settings, word for word: a board has no repository files, so the device tests that
    /// build a node from the board's settings carry this copy. tests/NfDtls.Tests/Boards/EmbeddedBoardSettingsTests
    /// fails when it no longer equals the file (copy the file here again after changing it).
    /// </summary>
    public static class EmbeddedBoardSettings
    {
        public const string Esp32Devkitc =
            "# ESP32-DevKitC (ESP32-WROOM-32, no PSRAM), firmware ESP32_REV0.\n" +
            "# About 79 KB of managed heap in all, shared with the app and the network stack's managed side,\n" +
            "# so buffers are smaller than the defaults (see README.md: memory budget).\n" +
            "reading_period_ms = 30000\n" +
            "confirmable = true\n" +
            "# RFC 9146 Connection ID: the node puts the gateway's CID in its records, so a NAT that hands it a new address or\n" +
            "# port does not cost a new handshake; it asks for none back (send-only). \"off\" saves 156 bytes of heap.\n" +
            "connection_id = send-only\n" +
            "# Wi-Fi path MTU 1500, but stay far below it: every byte here is heap.\n" +
            "max_datagram_size = 1024\n" +
            "# SenML readings and CoAP responses are small; a record never needs more.\n" +
            "max_record_plaintext = 512\n" +
            "# Handshake state is pooled and small (issue 12): the reassembly buffer bounds the gateway's messages but not its\n" +
            "# certificate (a larger one is streamed through the parser), and our own flight keeps our certificate by reference,\n" +
            "# so the DTLS defaults fit every mode. One SensorNode with these sizes: README.md, memory budget.\n" +
            "handshake_buffer_size = 768\n" +
            "flight_buffer_size = 512\n" +
            "# After a gateway restart, a network drop or an idle timeout, resume the session with the gateway's ticket\n" +
            "# (RFC 5077) instead of a full handshake (a board pays seconds of interpreted P-256 for one).\n" +
            "session_resumption = tickets\n";
    }
}
