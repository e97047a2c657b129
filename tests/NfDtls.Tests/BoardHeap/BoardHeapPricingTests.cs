using NfDtls.BoardHeap;
using Xunit;

namespace NfDtls.Tests.BoardHeap;

#pragma warning disable CS0649 // fields exist to be priced, never read

/// <summary>The pricing rules of the board-heap model, one by one (tools/NfDtls.BoardHeap/README.md).</summary>
public class BoardHeapPricingTests
{
    private sealed class Empty
    {
    }

    private sealed class Mixed
    {
        public byte A;
        public long B;
        public double C;
        public object? D;
        public DateTime E;
    }

    private struct Pair
    {
        public int X;
        public object? Y;
    }

    private sealed class WithStruct
    {
        public Pair P;
        public int Q;
    }

    private class Base
    {
        public int A;
    }

    private sealed class Derived : Base
    {
        public int B;

        public void Touch() => B++;
    }

    private sealed class Holder
    {
        public object? First;
        public object? Second;
        public Action? Callback;
        public string? Text;
    }

    private static long Bytes(Func<object> make, params object?[] existing) => BoardHeapModel.Measure(make, existing).Total;

    [Fact]
    public void An_object_is_a_header_block_and_a_block_per_field_whatever_its_type()
    {
        Assert.Equal(12, Bytes(() => new Empty()));
        Assert.Equal(12 * 6, Bytes(() => new Mixed()));
        Assert.Equal(12 * 3, Bytes(() => new Derived())); // base-class fields count
        Assert.Equal(24, Bytes(() => (object)42)); // a boxed int
    }

    [Fact]
    public void A_struct_field_is_a_block_plus_its_own_boxed_object()
    {
        // WithStruct: header + 2 fields = 36; Pair boxed: header + 2 fields = 36.
        Assert.Equal(72, Bytes(() => new WithStruct()));
        Assert.Equal(72 + 12, Bytes(() => new WithStruct { P = new Pair { Y = new Empty() } }));
    }

    [Fact]
    public void Arrays_pack_primitives_and_round_to_whole_blocks()
    {
        Assert.Equal(24, Bytes(() => new byte[1]));        // 20 + 1 -> 24
        Assert.Equal(36, Bytes(() => new byte[12]));       // 20 + 12 = 32 -> 36
        Assert.Equal(10_020, Bytes(() => new byte[10_000]));
    }

    [Fact]
    public void Arrays_of_references_take_a_block_per_element_and_arrays_of_structs_box_each_element()
    {
        Assert.Equal(NanoClrLayout.Round(20 + 3 * 12), Bytes(() => new object[3]));
        Assert.Equal(NanoClrLayout.Round(20 + 3 * 12) + 3 * 36, Bytes(() => new Pair[3]));
        Assert.Equal(NanoClrLayout.Round(20 + 2 * 8), Bytes(() => new long[2]));
        Assert.Equal(NanoClrLayout.Round(20 + 5 * 2), Bytes(() => new char[5]));
    }

    [Fact]
    public void Strings_made_at_run_time_carry_their_UTF8_text_and_literals_are_a_header_per_reference()
    {
        string made = new string('x', 30);
        Assert.Equal(NanoClrLayout.Round(12 + 30 + 1), Bytes(() => new string('x', 30)));
        Assert.Equal(NanoClrLayout.Round(12 + 4 + 1), Bytes(() => new string('\u00e9', 2))); // 2 chars, 4 UTF-8 bytes
        // Two fields holding the same literal: nanoCLR's ldstr makes an object each time.
        Assert.Equal(12 * 5 + 12 + 12, Bytes(() => new Holder { First = "lit", Second = "lit" }));
        // The same run-time string twice is one object.
        Assert.Equal(12 * 5 + NanoClrLayout.Round(12 + 30 + 1), Bytes(() => new Holder { First = made, Second = made }, Array.Empty<object>()));
    }

    [Fact]
    public void A_delegate_is_48_bytes_and_its_target_is_walked()
    {
        var target = new Derived();
        Assert.Equal(12 * 5 + 48, Bytes(() => new Holder { Callback = target.Touch }, target));
        Action two = (Action)(() => { }) + (() => { });
        Assert.Equal(NanoClrLayout.DelegateList(2) + 2 * 48, HeapWalker.SelfBytes(two));
    }

    [Fact]
    public void What_existed_before_and_what_statics_hold_are_not_counted()
    {
        var shared = new byte[100];
        Assert.Equal(12 * 5, Bytes(() => new Holder { First = shared }, shared));
        Assert.Equal(12 * 5 + 120, Bytes(() => new Holder { First = new byte[100] }));
        Assert.Equal(12 * 5, Bytes(() => new Holder { First = StaticTable.Table }));
    }

    [Fact]
    public void Each_object_counts_once_and_paths_say_where_the_bytes_are()
    {
        var figure = BoardHeapModel.Measure(() =>
        {
            var inner = new byte[1000];
            return new Holder { First = inner, Second = new object[] { inner, new byte[10] } };
        });
        Assert.Equal(12 * 5 + 1020 + NanoClrLayout.Round(20 + 24) + 36, figure.Total);
        Assert.Equal("Holder.First", figure.Items.Single(i => i.Bytes == 1020).Path);
        Assert.Equal(("Holder.First", 1, 1020L), figure.ByPath(1).First());
        Assert.Equal(("System.Byte[]", 2, 1056L), figure.ByType().First());
        Assert.Contains(figure.ByPath(2), p => p.Path == "Holder.Second[]" && p.Bytes == 36);
    }

    private static class StaticTable
    {
        public static readonly byte[] Table = new byte[4096];
    }
}
