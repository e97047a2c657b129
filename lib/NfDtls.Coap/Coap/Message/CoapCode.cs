namespace NfDtls.Coap.Message
{
    /// <summary>Method and response codes as the single header byte c.dd (RFC 7252 §12.1).</summary>
    public static class CoapCode
    {
        public const int Empty = 0x00;
        public const int Get = 0x01;
        public const int Post = 0x02;
        public const int Put = 0x03;
        public const int Delete = 0x04;

        public const int Created = 0x41;          // 2.01
        public const int Deleted = 0x42;          // 2.02
        public const int Valid = 0x43;            // 2.03
        public const int Changed = 0x44;          // 2.04
        public const int Content = 0x45;          // 2.05
        public const int Continue = 0x5F;         // 2.31 (RFC 7959 §2.9.1)
        public const int BadRequest = 0x80;       // 4.00
        public const int Unauthorized = 0x81;     // 4.01
        public const int BadOption = 0x82;        // 4.02
        public const int Forbidden = 0x83;        // 4.03
        public const int NotFound = 0x84;         // 4.04
        public const int MethodNotAllowed = 0x85; // 4.05
        public const int NotAcceptable = 0x86;    // 4.06
        public const int RequestEntityIncomplete = 0x88; // 4.08 (RFC 7959 §2.9.2)
        public const int PreconditionFailed = 0x8C;      // 4.12
        public const int RequestEntityTooLarge = 0x8D;   // 4.13
        public const int UnsupportedContentFormat = 0x8F; // 4.15
        public const int InternalServerError = 0xA0; // 5.00
        public const int NotImplemented = 0xA1;      // 5.01
        public const int ServiceUnavailable = 0xA3;  // 5.03
        public const int GatewayTimeout = 0xA4;      // 5.04
        public const int ProxyingNotSupported = 0xA5; // 5.05

        public static int Class(int code)
        {
            return (code >> 5) & 0x7;
        }

        public static int Detail(int code)
        {
            return code & 0x1F;
        }

        public static int Make(int cls, int detail)
        {
            return (cls << 5) | detail;
        }

        public static bool IsRequest(int code)
        {
            return code >= 1 && code <= 31;
        }

        public static bool IsResponse(int code)
        {
            int c = Class(code);
            return c >= 2 && c <= 5;
        }

        public static bool IsSuccess(int code)
        {
            return Class(code) == 2;
        }

        /// <summary>"2.05"-style text (allocates: for diagnostics and the CLI only).</summary>
        public static string ToText(int code)
        {
            int d = Detail(code);
            return string.Concat(Class(code).ToString(), d < 10 ? ".0" : ".", d.ToString());
        }
    }
}
