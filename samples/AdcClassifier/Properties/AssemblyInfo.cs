using System.Reflection;

// Assembly identity of the example app's nanoFramework build (the SDK compile check generates none).
[assembly: AssemblyTitle("NanoInt8.AdcClassifier")]
[assembly: AssemblyDescription("Classifies an accelerometer on an ADC channel with an embedded NanoInt8 model")]
[assembly: AssemblyProduct("NanoInt8")]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]
