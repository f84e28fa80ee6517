// Makes nanoFramework.TestFramework's attributes and Assert visible to every shared test file,
// as <Using Include="Microsoft.VisualStudio.TestTools.UnitTesting" /> does for MSTest in
// ../NanoInt8.Runtime.Tests. A global using is C# 10 syntax only (nothing in the assembly), so
// the nanoFramework build needs LangVersion 10 or later, which NanoInt8.Runtime.Tests.nfproj sets.
global using nanoFramework.TestFramework;
