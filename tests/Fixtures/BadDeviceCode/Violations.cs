namespace BadDeviceCode
{
    /// <summary>
    /// One member per construct that nanoCLR cannot run. Each member's name is what the audit tests
    /// look for in the violation list, so rename them together with the tests.
    /// </summary>
    public static class Violations
    {
        /// <summary>A double field (field signature R8).</summary>
        public static double DoubleField;

        /// <summary>A multi-dimensional array field (ELEMENT_TYPE_ARRAY).</summary>
        public static int[,] MultiDimensionalArrayField;

        /// <summary>A property whose signature is float.</summary>
        public static float FloatProperty
        {
            get { return 0; }
        }

        /// <summary>A float local: the accumulator is assigned in a loop, so even an optimized build
        /// keeps it as a local slot.</summary>
        public static int FloatLocal(int count)
        {
            float total = 0;
            for (int index = 0; index < count; index++)
            {
                total += index;
            }

            return (int)total;
        }

        /// <summary>A float literal (ldc.r4).</summary>
        public static object FloatLiteral()
        {
            return 1.5f;
        }

        /// <summary>An int widened to double (conv.r8).</summary>
        public static object ConversionToDouble(int value)
        {
            return (double)value;
        }

        /// <summary>A float parameter; the body itself has no floating-point opcode.</summary>
        public static object FloatParameter(float value)
        {
            return value;
        }

        /// <summary>A call into another assembly whose signature is double (System.Math.Sqrt).</summary>
        public static int CallsMathSqrt(int value)
        {
            return (int)System.Math.Sqrt(value);
        }

        /// <summary>A generic method definition.</summary>
        public static T GenericMethod<T>(T value)
        {
            return value;
        }

        /// <summary>A use of a generic BCL method (a MethodSpec): Array.Empty&lt;int&gt;().</summary>
        public static int UsesGenericBclMethod()
        {
            return System.Array.Empty<int>().Length;
        }

        /// <summary>An unsafe pointer parameter (ELEMENT_TYPE_PTR).</summary>
        public static unsafe int PointerParameter(int* pointer)
        {
            return *pointer;
        }

        /// <summary>stackalloc (the localloc opcode).</summary>
        public static unsafe int Stackalloc(int index)
        {
            int* buffer = stackalloc int[4];
            buffer[index & 3] = index;
            return buffer[0];
        }

        /// <summary>256 locals, one more than nanoCLR's method record can count.</summary>
        public static int TooManyLocals(int seed)
        {
            int local0 = seed * 3;
            if (seed == 0)
            {
                local0++;
            }

            int local1 = seed * 4;
            if (seed == 1)
            {
                local1++;
            }

            int local2 = seed * 5;
            if (seed == 2)
            {
                local2++;
            }

            int local3 = seed * 6;
            if (seed == 3)
            {
                local3++;
            }

            int local4 = seed * 7;
            if (seed == 4)
            {
                local4++;
            }

            int local5 = seed * 8;
            if (seed == 5)
            {
                local5++;
            }

            int local6 = seed * 9;
            if (seed == 6)
            {
                local6++;
            }

            int local7 = seed * 10;
            if (seed == 7)
            {
                local7++;
            }

            int local8 = seed * 11;
            if (seed == 8)
            {
                local8++;
            }

            int local9 = seed * 12;
            if (seed == 9)
            {
                local9++;
            }

            int local10 = seed * 13;
            if (seed == 10)
            {
                local10++;
            }

            int local11 = seed * 14;
            if (seed == 11)
            {
                local11++;
            }

            int local12 = seed * 15;
            if (seed == 12)
            {
                local12++;
            }

            int local13 = seed * 16;
            if (seed == 13)
            {
                local13++;
            }

            int local14 = seed * 17;
            if (seed == 14)
            {
                local14++;
            }

            int local15 = seed * 18;
            if (seed == 15)
            {
                local15++;
            }

            int local16 = seed * 19;
            if (seed == 16)
            {
                local16++;
            }

            int local17 = seed * 20;
            if (seed == 17)
            {
                local17++;
            }

            int local18 = seed * 21;
            if (seed == 18)
            {
                local18++;
            }

            int local19 = seed * 22;
            if (seed == 19)
            {
                local19++;
            }

            int local20 = seed * 23;
            if (seed == 20)
            {
                local20++;
            }

            int local21 = seed * 24;
            if (seed == 21)
            {
                local21++;
            }

            int local22 = seed * 25;
            if (seed == 22)
            {
                local22++;
            }

            int local23 = seed * 26;
            if (seed == 23)
            {
                local23++;
            }

            int local24 = seed * 27;
            if (seed == 24)
            {
                local24++;
            }

            int local25 = seed * 28;
            if (seed == 25)
            {
                local25++;
            }

            int local26 = seed * 29;
            if (seed == 26)
            {
                local26++;
            }

            int local27 = seed * 30;
            if (seed == 27)
            {
                local27++;
            }

            int local28 = seed * 31;
            if (seed == 28)
            {
                local28++;
            }

            int local29 = seed * 32;
            if (seed == 29)
            {
                local29++;
            }

            int local30 = seed * 33;
            if (seed == 30)
            {
                local30++;
            }

            int local31 = seed * 34;
            if (seed == 31)
            {
                local31++;
            }

            int local32 = seed * 35;
            if (seed == 32)
            {
                local32++;
            }

            int local33 = seed * 36;
            if (seed == 33)
            {
                local33++;
            }

            int local34 = seed * 37;
            if (seed == 34)
            {
                local34++;
            }

            int local35 = seed * 38;
            if (seed == 35)
            {
                local35++;
            }

            int local36 = seed * 39;
            if (seed == 36)
            {
                local36++;
            }

            int local37 = seed * 40;
            if (seed == 37)
            {
                local37++;
            }

            int local38 = seed * 41;
            if (seed == 38)
            {
                local38++;
            }

            int local39 = seed * 42;
            if (seed == 39)
            {
                local39++;
            }

            int local40 = seed * 43;
            if (seed == 40)
            {
                local40++;
            }

            int local41 = seed * 44;
            if (seed == 41)
            {
                local41++;
            }

            int local42 = seed * 45;
            if (seed == 42)
            {
                local42++;
            }

            int local43 = seed * 46;
            if (seed == 43)
            {
                local43++;
            }

            int local44 = seed * 47;
            if (seed == 44)
            {
                local44++;
            }

            int local45 = seed * 48;
            if (seed == 45)
            {
                local45++;
            }

            int local46 = seed * 49;
            if (seed == 46)
            {
                local46++;
            }

            int local47 = seed * 50;
            if (seed == 47)
            {
                local47++;
            }

            int local48 = seed * 51;
            if (seed == 48)
            {
                local48++;
            }

            int local49 = seed * 52;
            if (seed == 49)
            {
                local49++;
            }

            int local50 = seed * 53;
            if (seed == 50)
            {
                local50++;
            }

            int local51 = seed * 54;
            if (seed == 51)
            {
                local51++;
            }

            int local52 = seed * 55;
            if (seed == 52)
            {
                local52++;
            }

            int local53 = seed * 56;
            if (seed == 53)
            {
                local53++;
            }

            int local54 = seed * 57;
            if (seed == 54)
            {
                local54++;
            }

            int local55 = seed * 58;
            if (seed == 55)
            {
                local55++;
            }

            int local56 = seed * 59;
            if (seed == 56)
            {
                local56++;
            }

            int local57 = seed * 60;
            if (seed == 57)
            {
                local57++;
            }

            int local58 = seed * 61;
            if (seed == 58)
            {
                local58++;
            }

            int local59 = seed * 62;
            if (seed == 59)
            {
                local59++;
            }

            int local60 = seed * 63;
            if (seed == 60)
            {
                local60++;
            }

            int local61 = seed * 64;
            if (seed == 61)
            {
                local61++;
            }

            int local62 = seed * 65;
            if (seed == 62)
            {
                local62++;
            }

            int local63 = seed * 66;
            if (seed == 63)
            {
                local63++;
            }

            int local64 = seed * 67;
            if (seed == 64)
            {
                local64++;
            }

            int local65 = seed * 68;
            if (seed == 65)
            {
                local65++;
            }

            int local66 = seed * 69;
            if (seed == 66)
            {
                local66++;
            }

            int local67 = seed * 70;
            if (seed == 67)
            {
                local67++;
            }

            int local68 = seed * 71;
            if (seed == 68)
            {
                local68++;
            }

            int local69 = seed * 72;
            if (seed == 69)
            {
                local69++;
            }

            int local70 = seed * 73;
            if (seed == 70)
            {
                local70++;
            }

            int local71 = seed * 74;
            if (seed == 71)
            {
                local71++;
            }

            int local72 = seed * 75;
            if (seed == 72)
            {
                local72++;
            }

            int local73 = seed * 76;
            if (seed == 73)
            {
                local73++;
            }

            int local74 = seed * 77;
            if (seed == 74)
            {
                local74++;
            }

            int local75 = seed * 78;
            if (seed == 75)
            {
                local75++;
            }

            int local76 = seed * 79;
            if (seed == 76)
            {
                local76++;
            }

            int local77 = seed * 80;
            if (seed == 77)
            {
                local77++;
            }

            int local78 = seed * 81;
            if (seed == 78)
            {
                local78++;
            }

            int local79 = seed * 82;
            if (seed == 79)
            {
                local79++;
            }

            int local80 = seed * 83;
            if (seed == 80)
            {
                local80++;
            }

            int local81 = seed * 84;
            if (seed == 81)
            {
                local81++;
            }

            int local82 = seed * 85;
            if (seed == 82)
            {
                local82++;
            }

            int local83 = seed * 86;
            if (seed == 83)
            {
                local83++;
            }

            int local84 = seed * 87;
            if (seed == 84)
            {
                local84++;
            }

            int local85 = seed * 88;
            if (seed == 85)
            {
                local85++;
            }

            int local86 = seed * 89;
            if (seed == 86)
            {
                local86++;
            }

            int local87 = seed * 90;
            if (seed == 87)
            {
                local87++;
            }

            int local88 = seed * 91;
            if (seed == 88)
            {
                local88++;
            }

            int local89 = seed * 92;
            if (seed == 89)
            {
                local89++;
            }

            int local90 = seed * 93;
            if (seed == 90)
            {
                local90++;
            }

            int local91 = seed * 94;
            if (seed == 91)
            {
                local91++;
            }

            int local92 = seed * 95;
            if (seed == 92)
            {
                local92++;
            }

            int local93 = seed * 96;
            if (seed == 93)
            {
                local93++;
            }

            int local94 = seed * 97;
            if (seed == 94)
            {
                local94++;
            }

            int local95 = seed * 98;
            if (seed == 95)
            {
                local95++;
            }

            int local96 = seed * 99;
            if (seed == 96)
            {
                local96++;
            }

            int local97 = seed * 100;
            if (seed == 97)
            {
                local97++;
            }

            int local98 = seed * 101;
            if (seed == 98)
            {
                local98++;
            }

            int local99 = seed * 102;
            if (seed == 99)
            {
                local99++;
            }

            int local100 = seed * 103;
            if (seed == 100)
            {
                local100++;
            }

            int local101 = seed * 104;
            if (seed == 101)
            {
                local101++;
            }

            int local102 = seed * 105;
            if (seed == 102)
            {
                local102++;
            }

            int local103 = seed * 106;
            if (seed == 103)
            {
                local103++;
            }

            int local104 = seed * 107;
            if (seed == 104)
            {
                local104++;
            }

            int local105 = seed * 108;
            if (seed == 105)
            {
                local105++;
            }

            int local106 = seed * 109;
            if (seed == 106)
            {
                local106++;
            }

            int local107 = seed * 110;
            if (seed == 107)
            {
                local107++;
            }

            int local108 = seed * 111;
            if (seed == 108)
            {
                local108++;
            }

            int local109 = seed * 112;
            if (seed == 109)
            {
                local109++;
            }

            int local110 = seed * 113;
            if (seed == 110)
            {
                local110++;
            }

            int local111 = seed * 114;
            if (seed == 111)
            {
                local111++;
            }

            int local112 = seed * 115;
            if (seed == 112)
            {
                local112++;
            }

            int local113 = seed * 116;
            if (seed == 113)
            {
                local113++;
            }

            int local114 = seed * 117;
            if (seed == 114)
            {
                local114++;
            }

            int local115 = seed * 118;
            if (seed == 115)
            {
                local115++;
            }

            int local116 = seed * 119;
            if (seed == 116)
            {
                local116++;
            }

            int local117 = seed * 120;
            if (seed == 117)
            {
                local117++;
            }

            int local118 = seed * 121;
            if (seed == 118)
            {
                local118++;
            }

            int local119 = seed * 122;
            if (seed == 119)
            {
                local119++;
            }

            int local120 = seed * 123;
            if (seed == 120)
            {
                local120++;
            }

            int local121 = seed * 124;
            if (seed == 121)
            {
                local121++;
            }

            int local122 = seed * 125;
            if (seed == 122)
            {
                local122++;
            }

            int local123 = seed * 126;
            if (seed == 123)
            {
                local123++;
            }

            int local124 = seed * 127;
            if (seed == 124)
            {
                local124++;
            }

            int local125 = seed * 128;
            if (seed == 125)
            {
                local125++;
            }

            int local126 = seed * 129;
            if (seed == 126)
            {
                local126++;
            }

            int local127 = seed * 130;
            if (seed == 127)
            {
                local127++;
            }

            int local128 = seed * 131;
            if (seed == 128)
            {
                local128++;
            }

            int local129 = seed * 132;
            if (seed == 129)
            {
                local129++;
            }

            int local130 = seed * 133;
            if (seed == 130)
            {
                local130++;
            }

            int local131 = seed * 134;
            if (seed == 131)
            {
                local131++;
            }

            int local132 = seed * 135;
            if (seed == 132)
            {
                local132++;
            }

            int local133 = seed * 136;
            if (seed == 133)
            {
                local133++;
            }

            int local134 = seed * 137;
            if (seed == 134)
            {
                local134++;
            }

            int local135 = seed * 138;
            if (seed == 135)
            {
                local135++;
            }

            int local136 = seed * 139;
            if (seed == 136)
            {
                local136++;
            }

            int local137 = seed * 140;
            if (seed == 137)
            {
                local137++;
            }

            int local138 = seed * 141;
            if (seed == 138)
            {
                local138++;
            }

            int local139 = seed * 142;
            if (seed == 139)
            {
                local139++;
            }

            int local140 = seed * 143;
            if (seed == 140)
            {
                local140++;
            }

            int local141 = seed * 144;
            if (seed == 141)
            {
                local141++;
            }

            int local142 = seed * 145;
            if (seed == 142)
            {
                local142++;
            }

            int local143 = seed * 146;
            if (seed == 143)
            {
                local143++;
            }

            int local144 = seed * 147;
            if (seed == 144)
            {
                local144++;
            }

            int local145 = seed * 148;
            if (seed == 145)
            {
                local145++;
            }

            int local146 = seed * 149;
            if (seed == 146)
            {
                local146++;
            }

            int local147 = seed * 150;
            if (seed == 147)
            {
                local147++;
            }

            int local148 = seed * 151;
            if (seed == 148)
            {
                local148++;
            }

            int local149 = seed * 152;
            if (seed == 149)
            {
                local149++;
            }

            int local150 = seed * 153;
            if (seed == 150)
            {
                local150++;
            }

            int local151 = seed * 154;
            if (seed == 151)
            {
                local151++;
            }

            int local152 = seed * 155;
            if (seed == 152)
            {
                local152++;
            }

            int local153 = seed * 156;
            if (seed == 153)
            {
                local153++;
            }

            int local154 = seed * 157;
            if (seed == 154)
            {
                local154++;
            }

            int local155 = seed * 158;
            if (seed == 155)
            {
                local155++;
            }

            int local156 = seed * 159;
            if (seed == 156)
            {
                local156++;
            }

            int local157 = seed * 160;
            if (seed == 157)
            {
                local157++;
            }

            int local158 = seed * 161;
            if (seed == 158)
            {
                local158++;
            }

            int local159 = seed * 162;
            if (seed == 159)
            {
                local159++;
            }

            int local160 = seed * 163;
            if (seed == 160)
            {
                local160++;
            }

            int local161 = seed * 164;
            if (seed == 161)
            {
                local161++;
            }

            int local162 = seed * 165;
            if (seed == 162)
            {
                local162++;
            }

            int local163 = seed * 166;
            if (seed == 163)
            {
                local163++;
            }

            int local164 = seed * 167;
            if (seed == 164)
            {
                local164++;
            }

            int local165 = seed * 168;
            if (seed == 165)
            {
                local165++;
            }

            int local166 = seed * 169;
            if (seed == 166)
            {
                local166++;
            }

            int local167 = seed * 170;
            if (seed == 167)
            {
                local167++;
            }

            int local168 = seed * 171;
            if (seed == 168)
            {
                local168++;
            }

            int local169 = seed * 172;
            if (seed == 169)
            {
                local169++;
            }

            int local170 = seed * 173;
            if (seed == 170)
            {
                local170++;
            }

            int local171 = seed * 174;
            if (seed == 171)
            {
                local171++;
            }

            int local172 = seed * 175;
            if (seed == 172)
            {
                local172++;
            }

            int local173 = seed * 176;
            if (seed == 173)
            {
                local173++;
            }

            int local174 = seed * 177;
            if (seed == 174)
            {
                local174++;
            }

            int local175 = seed * 178;
            if (seed == 175)
            {
                local175++;
            }

            int local176 = seed * 179;
            if (seed == 176)
            {
                local176++;
            }

            int local177 = seed * 180;
            if (seed == 177)
            {
                local177++;
            }

            int local178 = seed * 181;
            if (seed == 178)
            {
                local178++;
            }

            int local179 = seed * 182;
            if (seed == 179)
            {
                local179++;
            }

            int local180 = seed * 183;
            if (seed == 180)
            {
                local180++;
            }

            int local181 = seed * 184;
            if (seed == 181)
            {
                local181++;
            }

            int local182 = seed * 185;
            if (seed == 182)
            {
                local182++;
            }

            int local183 = seed * 186;
            if (seed == 183)
            {
                local183++;
            }

            int local184 = seed * 187;
            if (seed == 184)
            {
                local184++;
            }

            int local185 = seed * 188;
            if (seed == 185)
            {
                local185++;
            }

            int local186 = seed * 189;
            if (seed == 186)
            {
                local186++;
            }

            int local187 = seed * 190;
            if (seed == 187)
            {
                local187++;
            }

            int local188 = seed * 191;
            if (seed == 188)
            {
                local188++;
            }

            int local189 = seed * 192;
            if (seed == 189)
            {
                local189++;
            }

            int local190 = seed * 193;
            if (seed == 190)
            {
                local190++;
            }

            int local191 = seed * 194;
            if (seed == 191)
            {
                local191++;
            }

            int local192 = seed * 195;
            if (seed == 192)
            {
                local192++;
            }

            int local193 = seed * 196;
            if (seed == 193)
            {
                local193++;
            }

            int local194 = seed * 197;
            if (seed == 194)
            {
                local194++;
            }

            int local195 = seed * 198;
            if (seed == 195)
            {
                local195++;
            }

            int local196 = seed * 199;
            if (seed == 196)
            {
                local196++;
            }

            int local197 = seed * 200;
            if (seed == 197)
            {
                local197++;
            }

            int local198 = seed * 201;
            if (seed == 198)
            {
                local198++;
            }

            int local199 = seed * 202;
            if (seed == 199)
            {
                local199++;
            }

            int local200 = seed * 203;
            if (seed == 200)
            {
                local200++;
            }

            int local201 = seed * 204;
            if (seed == 201)
            {
                local201++;
            }

            int local202 = seed * 205;
            if (seed == 202)
            {
                local202++;
            }

            int local203 = seed * 206;
            if (seed == 203)
            {
                local203++;
            }

            int local204 = seed * 207;
            if (seed == 204)
            {
                local204++;
            }

            int local205 = seed * 208;
            if (seed == 205)
            {
                local205++;
            }

            int local206 = seed * 209;
            if (seed == 206)
            {
                local206++;
            }

            int local207 = seed * 210;
            if (seed == 207)
            {
                local207++;
            }

            int local208 = seed * 211;
            if (seed == 208)
            {
                local208++;
            }

            int local209 = seed * 212;
            if (seed == 209)
            {
                local209++;
            }

            int local210 = seed * 213;
            if (seed == 210)
            {
                local210++;
            }

            int local211 = seed * 214;
            if (seed == 211)
            {
                local211++;
            }

            int local212 = seed * 215;
            if (seed == 212)
            {
                local212++;
            }

            int local213 = seed * 216;
            if (seed == 213)
            {
                local213++;
            }

            int local214 = seed * 217;
            if (seed == 214)
            {
                local214++;
            }

            int local215 = seed * 218;
            if (seed == 215)
            {
                local215++;
            }

            int local216 = seed * 219;
            if (seed == 216)
            {
                local216++;
            }

            int local217 = seed * 220;
            if (seed == 217)
            {
                local217++;
            }

            int local218 = seed * 221;
            if (seed == 218)
            {
                local218++;
            }

            int local219 = seed * 222;
            if (seed == 219)
            {
                local219++;
            }

            int local220 = seed * 223;
            if (seed == 220)
            {
                local220++;
            }

            int local221 = seed * 224;
            if (seed == 221)
            {
                local221++;
            }

            int local222 = seed * 225;
            if (seed == 222)
            {
                local222++;
            }

            int local223 = seed * 226;
            if (seed == 223)
            {
                local223++;
            }

            int local224 = seed * 227;
            if (seed == 224)
            {
                local224++;
            }

            int local225 = seed * 228;
            if (seed == 225)
            {
                local225++;
            }

            int local226 = seed * 229;
            if (seed == 226)
            {
                local226++;
            }

            int local227 = seed * 230;
            if (seed == 227)
            {
                local227++;
            }

            int local228 = seed * 231;
            if (seed == 228)
            {
                local228++;
            }

            int local229 = seed * 232;
            if (seed == 229)
            {
                local229++;
            }

            int local230 = seed * 233;
            if (seed == 230)
            {
                local230++;
            }

            int local231 = seed * 234;
            if (seed == 231)
            {
                local231++;
            }

            int local232 = seed * 235;
            if (seed == 232)
            {
                local232++;
            }

            int local233 = seed * 236;
            if (seed == 233)
            {
                local233++;
            }

            int local234 = seed * 237;
            if (seed == 234)
            {
                local234++;
            }

            int local235 = seed * 238;
            if (seed == 235)
            {
                local235++;
            }

            int local236 = seed * 239;
            if (seed == 236)
            {
                local236++;
            }

            int local237 = seed * 240;
            if (seed == 237)
            {
                local237++;
            }

            int local238 = seed * 241;
            if (seed == 238)
            {
                local238++;
            }

            int local239 = seed * 242;
            if (seed == 239)
            {
                local239++;
            }

            int local240 = seed * 243;
            if (seed == 240)
            {
                local240++;
            }

            int local241 = seed * 244;
            if (seed == 241)
            {
                local241++;
            }

            int local242 = seed * 245;
            if (seed == 242)
            {
                local242++;
            }

            int local243 = seed * 246;
            if (seed == 243)
            {
                local243++;
            }

            int local244 = seed * 247;
            if (seed == 244)
            {
                local244++;
            }

            int local245 = seed * 248;
            if (seed == 245)
            {
                local245++;
            }

            int local246 = seed * 249;
            if (seed == 246)
            {
                local246++;
            }

            int local247 = seed * 250;
            if (seed == 247)
            {
                local247++;
            }

            int local248 = seed * 251;
            if (seed == 248)
            {
                local248++;
            }

            int local249 = seed * 252;
            if (seed == 249)
            {
                local249++;
            }

            int local250 = seed * 253;
            if (seed == 250)
            {
                local250++;
            }

            int local251 = seed * 254;
            if (seed == 251)
            {
                local251++;
            }

            int local252 = seed * 255;
            if (seed == 252)
            {
                local252++;
            }

            int local253 = seed * 256;
            if (seed == 253)
            {
                local253++;
            }

            int local254 = seed * 257;
            if (seed == 254)
            {
                local254++;
            }

            int local255 = seed * 258;
            if (seed == 255)
            {
                local255++;
            }

            return local0 + local1 + local2 + local3 + local4 + local5 + local6 + local7 + local8 + local9 + local10 + local11 + local12 + local13 +
                local14 + local15 + local16 + local17 + local18 + local19 + local20 + local21 + local22 + local23 + local24 + local25 + local26 +
                local27 + local28 + local29 + local30 + local31 + local32 + local33 + local34 + local35 + local36 + local37 + local38 + local39 +
                local40 + local41 + local42 + local43 + local44 + local45 + local46 + local47 + local48 + local49 + local50 + local51 + local52 +
                local53 + local54 + local55 + local56 + local57 + local58 + local59 + local60 + local61 + local62 + local63 + local64 + local65 +
                local66 + local67 + local68 + local69 + local70 + local71 + local72 + local73 + local74 + local75 + local76 + local77 + local78 +
                local79 + local80 + local81 + local82 + local83 + local84 + local85 + local86 + local87 + local88 + local89 + local90 + local91 +
                local92 + local93 + local94 + local95 + local96 + local97 + local98 + local99 + local100 + local101 + local102 + local103 +
                local104 + local105 + local106 + local107 + local108 + local109 + local110 + local111 + local112 + local113 + local114 + local115 +
                local116 + local117 + local118 + local119 + local120 + local121 + local122 + local123 + local124 + local125 + local126 + local127 +
                local128 + local129 + local130 + local131 + local132 + local133 + local134 + local135 + local136 + local137 + local138 + local139 +
                local140 + local141 + local142 + local143 + local144 + local145 + local146 + local147 + local148 + local149 + local150 + local151 +
                local152 + local153 + local154 + local155 + local156 + local157 + local158 + local159 + local160 + local161 + local162 + local163 +
                local164 + local165 + local166 + local167 + local168 + local169 + local170 + local171 + local172 + local173 + local174 + local175 +
                local176 + local177 + local178 + local179 + local180 + local181 + local182 + local183 + local184 + local185 + local186 + local187 +
                local188 + local189 + local190 + local191 + local192 + local193 + local194 + local195 + local196 + local197 + local198 + local199 +
                local200 + local201 + local202 + local203 + local204 + local205 + local206 + local207 + local208 + local209 + local210 + local211 +
                local212 + local213 + local214 + local215 + local216 + local217 + local218 + local219 + local220 + local221 + local222 + local223 +
                local224 + local225 + local226 + local227 + local228 + local229 + local230 + local231 + local232 + local233 + local234 + local235 +
                local236 + local237 + local238 + local239 + local240 + local241 + local242 + local243 + local244 + local245 + local246 + local247 +
                local248 + local249 + local250 + local251 + local252 + local253 + local254 + local255;
        }

        /// <summary>256 arguments, one more than nanoCLR's method record can count.</summary>
        public static int TooManyArguments(int a0, int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9, int a10, int a11, int a12,
            int a13, int a14, int a15, int a16, int a17, int a18, int a19, int a20, int a21, int a22, int a23, int a24, int a25, int a26, int a27,
            int a28, int a29, int a30, int a31, int a32, int a33, int a34, int a35, int a36, int a37, int a38, int a39, int a40, int a41, int a42,
            int a43, int a44, int a45, int a46, int a47, int a48, int a49, int a50, int a51, int a52, int a53, int a54, int a55, int a56, int a57,
            int a58, int a59, int a60, int a61, int a62, int a63, int a64, int a65, int a66, int a67, int a68, int a69, int a70, int a71, int a72,
            int a73, int a74, int a75, int a76, int a77, int a78, int a79, int a80, int a81, int a82, int a83, int a84, int a85, int a86, int a87,
            int a88, int a89, int a90, int a91, int a92, int a93, int a94, int a95, int a96, int a97, int a98, int a99, int a100, int a101, int a102,
            int a103, int a104, int a105, int a106, int a107, int a108, int a109, int a110, int a111, int a112, int a113, int a114, int a115,
            int a116, int a117, int a118, int a119, int a120, int a121, int a122, int a123, int a124, int a125, int a126, int a127, int a128,
            int a129, int a130, int a131, int a132, int a133, int a134, int a135, int a136, int a137, int a138, int a139, int a140, int a141,
            int a142, int a143, int a144, int a145, int a146, int a147, int a148, int a149, int a150, int a151, int a152, int a153, int a154,
            int a155, int a156, int a157, int a158, int a159, int a160, int a161, int a162, int a163, int a164, int a165, int a166, int a167,
            int a168, int a169, int a170, int a171, int a172, int a173, int a174, int a175, int a176, int a177, int a178, int a179, int a180,
            int a181, int a182, int a183, int a184, int a185, int a186, int a187, int a188, int a189, int a190, int a191, int a192, int a193,
            int a194, int a195, int a196, int a197, int a198, int a199, int a200, int a201, int a202, int a203, int a204, int a205, int a206,
            int a207, int a208, int a209, int a210, int a211, int a212, int a213, int a214, int a215, int a216, int a217, int a218, int a219,
            int a220, int a221, int a222, int a223, int a224, int a225, int a226, int a227, int a228, int a229, int a230, int a231, int a232,
            int a233, int a234, int a235, int a236, int a237, int a238, int a239, int a240, int a241, int a242, int a243, int a244, int a245,
            int a246, int a247, int a248, int a249, int a250, int a251, int a252, int a253, int a254, int a255)
        {
            return a0 + a255;
        }

        /// <summary>A function pointer parameter (ELEMENT_TYPE_FNPTR) called with calli.</summary>
        public static unsafe int FunctionPointer(delegate*<int, int> function)
        {
            return function(1);
        }
    }

    /// <summary>A generic class definition.</summary>
    public class GenericClass<T>
    {
        /// <summary>A field of the type parameter.</summary>
        public T Value;
    }

    /// <summary>A byref-like type (ref struct), marked with IsByRefLikeAttribute.</summary>
    public ref struct ByRefLikeStruct
    {
        /// <summary>A plain field.</summary>
        public int Value;
    }
}
