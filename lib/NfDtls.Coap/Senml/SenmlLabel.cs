namespace NfDtls.Senml
{
    /// <summary>SenML labels (RFC 8428 §4.1, §4.2) and their CBOR integer keys (§6, Table 4).</summary>
    internal static class SenmlLabel
    {
        public const int BaseVersion = -1;
        public const int BaseName = -2;
        public const int BaseTime = -3;
        public const int BaseUnit = -4;
        public const int BaseValue = -5;
        public const int BaseSum = -6;
        public const int Name = 0;
        public const int Unit = 1;
        public const int Value = 2;
        public const int StringValue = 3;
        public const int BoolValue = 4;
        public const int Sum = 5;
        public const int Time = 6;
        public const int UpdateTime = 7;
        public const int DataValue = 8;
        public const int Unknown = 100;

        public static string Json(int label)
        {
            switch (label)
            {
                case BaseVersion: return "bver";
                case BaseName: return "bn";
                case BaseTime: return "bt";
                case BaseUnit: return "bu";
                case BaseValue: return "bv";
                case BaseSum: return "bs";
                case Name: return "n";
                case Unit: return "u";
                case Value: return "v";
                case StringValue: return "vs";
                case BoolValue: return "vb";
                case Sum: return "s";
                case Time: return "t";
                case UpdateTime: return "ut";
                case DataValue: return "vd";
                default: return "";
            }
        }

        /// <summary>The label whose JSON name is buffer[offset..offset+count), or <see cref="Unknown"/>.</summary>
        public static int FromJson(byte[] buffer, int offset, int count)
        {
            for (int label = -6; label <= 8; label++)
            {
                if (NfDtls.Text.Utf8Bytes.Equals(Json(label), buffer, offset, count))
                {
                    return label;
                }
            }
            return Unknown;
        }
    }
}
