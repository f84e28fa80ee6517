using NanoInt8.Host.Files;

namespace NanoInt8.Host.Tests.Files
{
    /// <summary>CSV numbers in both spreadsheet conventions: comma and decimal point, semicolon and decimal comma.</summary>
    [TestClass]
    public sealed class CsvNumbersTests
    {
        [TestMethod]
        public void Split_CommasSpacesAndTabs_FieldsAsWritten()
        {
            IReadOnlyList<CsvLine> lines = CsvNumbers.Split("1.5, 2\t3 4\n");

            CollectionAssert.AreEqual(new[] { "1.5", "2", "3", "4" }, lines.Single().Fields);
        }

        [TestMethod]
        public void Split_SemicolonsWithDecimalCommas_CommasBecomePoints()
        {
            IReadOnlyList<CsvLine> lines = CsvNumbers.Split("1,5;2,25;-3\r\n4;5,5;6\r\n");

            Assert.HasCount(2, lines);
            CollectionAssert.AreEqual(new[] { "1.5", "2.25", "-3" }, lines[0].Fields);
            CollectionAssert.AreEqual(new[] { "4", "5.5", "6" }, lines[1].Fields);
        }

        [TestMethod]
        public void Split_CommentsAndBlankLines_SkippedWithLineNumbersKept()
        {
            IReadOnlyList<CsvLine> lines = CsvNumbers.Split("# header\n\n1,2\n");

            Assert.AreEqual(3, lines.Single().Number);
        }
    }
}
