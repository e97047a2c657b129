namespace NfDtls.BoardHeap;

/// <summary>
/// How nanoCLR (32-bit) lays objects out in its managed heap, in bytes (nanoframework/nf-interpreter:
/// nanoCLR_Runtime__HeapBlock.h and the CreateInstance functions beside it). Every allocation is a whole number of
/// 12-byte heap blocks (ExtractHeapBytesForObjects rounds up).
/// </summary>
public static class NanoClrLayout
{
    /// <summary>sizeof(CLR_RT_HeapBlock): a type/flags word and 8 bytes of data (a reference, an int, a long, a double,
    /// a DateTime...). An object's header is one, and so is each of its fields, whatever the field's type.</summary>
    public const int Block = 12;

    /// <summary>CLR_RT_HeapBlock_Array: a block plus element count, element type and size (20 bytes), then the
    /// elements packed at their own size (references and value types: a 12-byte block each).</summary>
    public const int ArrayHeader = 20;

    /// <summary>CLR_RT_HeapBlock_String: a block whose data points at the UTF-8 text. A literal (ldstr) points into
    /// the assembly's string table; a string made at run time carries its text and a terminating 0 after it.</summary>
    public const int StringHeader = 12;

    /// <summary>CLR_RT_HeapBlock_Delegate: a node (block + two list links, 20) + class and method indexes (8) + the
    /// target object (a block, 12) + generic type/method specs (8) = 48.</summary>
    public const int Delegate = 48;

    /// <summary>CLR_RT_HeapBlock_Delegate_List (a multicast delegate of two or more): node (20) + class, length and
    /// flags (12), then one block per delegate.</summary>
    public const int DelegateListHeader = 32;

    /// <summary>Rounds an allocation up to whole heap blocks.</summary>
    public static int Round(long bytes) => (int)((bytes + Block - 1) / Block * Block);

    /// <summary>A class instance or a boxed value: a header block and one block per instance field (base classes' too).</summary>
    public static int Object(int fields) => Block * (1 + fields);

    public static int Array(int length, int elementBytes) => Round(ArrayHeader + (long)length * elementBytes);

    public static int String(int utf8Length, bool literal) => literal ? StringHeader : Round(StringHeader + utf8Length + 1);

    public static int DelegateList(int count) => Round(DelegateListHeader + (long)count * Block);
}
