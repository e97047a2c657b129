namespace NonPortableFixture
{
    public static class Bad
    {
        public static int Placeholder() { return 0; }
    }
}
