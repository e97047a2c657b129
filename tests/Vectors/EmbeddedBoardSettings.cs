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
            "# Holds the gateway's certificate (~500 bytes DER from `nfdtls provision`) with room to spare.\n" +
            "# One SensorNode with these sizes: 17.3 KB psk, 24.0 KB rpk (board-heap model; README.md: memory budget).\n" +
            "handshake_buffer_size = 1280\n" +
            "flight_buffer_size = 1024\n";
    }
}
