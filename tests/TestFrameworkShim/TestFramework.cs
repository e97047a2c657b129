using System;

namespace nanoFramework.TestFramework
{
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class TestClassAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method)]
    public sealed class TestMethodAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method)]
    public sealed class SetupAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method)]
    public sealed class CleanupAttribute : Attribute { }

    /// <summary>The subset of nanoFramework.TestFramework.Assert the device tests call; same signatures as 3.0.</summary>
    public sealed class Assert
    {
        public static void IsTrue(bool condition, string message = "")
        {
            if (!condition)
            {
                throw new TestFrameworkShared.AssertFailedException("IsTrue failed. " + message);
            }
        }

        public static void IsFalse(bool condition, string message = "")
        {
            if (condition)
            {
                throw new TestFrameworkShared.AssertFailedException("IsFalse failed. " + message);
            }
        }

        public static void AreEqual(int expected, int actual, string message = "")
        {
            if (expected != actual)
            {
                throw new TestFrameworkShared.AssertFailedException("AreEqual failed. Expected:<" + expected + ">. Actual:<" + actual + ">. " + message);
            }
        }

        public static void AreEqual(string expected, string actual, string message = "")
        {
            if (!string.Equals(expected, actual, StringComparison.Ordinal))
            {
                throw new TestFrameworkShared.AssertFailedException("AreEqual failed. Expected:<" + expected + ">. Actual:<" + actual + ">. " + message);
            }
        }
    }
}

namespace TestFrameworkShared
{
    public class AssertFailedException : Exception
    {
        public AssertFailedException() { }

        public AssertFailedException(string message) : base(message) { }

        public AssertFailedException(string message, Exception inner) : base(message, inner) { }
    }
}
