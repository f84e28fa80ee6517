#!/usr/bin/env python3
"""Writes the PyTorch 1.13 fixtures of NanoInt8.Exporters.Tests: real torch exports of small
quantized models trained on scikit-learn's digits, their held-out inputs and labels, and torch's
own float and int8 outputs (both quantized engines), so the tests can check the converter
without torch.

Run with the system python that has Debian's python3-torch, python3-onnx, python3-sklearn:

    /usr/bin/python3 tests/NanoInt8.Exporters.Tests/Fixtures/pytorch/make_fixtures.py

Everything is seeded (SEED below) and runs on one thread; README.md beside this file lists what
is written and why.
"""

import copy
import json
import os
import sys

import numpy as np
import onnx
import sklearn
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch.ao import quantization as tq
from torch.ao.quantization import quantize_fx

SEED = 1213
OPSET = 13
FLOAT_EPOCHS = 30
QAT_EPOCHS = 8
BATCH = 32
ENGINES = ("onednn", "qnnpack")
HERE = os.path.dirname(os.path.abspath(__file__))


# ----- data -----------------------------------------------------------------------------------

def digits():
    """sklearn's 8x8 digits, pixels 0..16 scaled to [0, 1], split 80/20 stratified."""
    data = load_digits()
    x = (data.data / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
    y = data.target.astype(np.int64)
    return train_test_split(x, y, test_size=0.2, random_state=SEED, stratify=y)


# ----- models ---------------------------------------------------------------------------------

class Cnn(nn.Module):
    """Conv 1->8 3x3 + ReLU, Conv 8->16 3x3 + ReLU, MaxPool 2, Linear 256->10."""

    def __init__(self, stubs=True):
        super().__init__()
        self.quant = tq.QuantStub() if stubs else nn.Identity()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(256, 10)
        self.dequant = tq.DeQuantStub() if stubs else nn.Identity()
        self.fusions = [["conv1", "relu1"], ["conv2", "relu2"]]

    def forward(self, x):
        x = self.quant(x)
        x = self.relu1(self.conv1(x))
        x = self.relu2(self.conv2(x))
        x = self.pool(x)
        x = torch.flatten(x, 1)
        return self.dequant(self.fc(x))


class Mlp(nn.Module):
    """Linear 64->32 + ReLU, Linear 32->10; 'fused' fuses the first Linear with its ReLU."""

    def __init__(self, fused):
        super().__init__()
        self.quant = tq.QuantStub()
        self.fc1 = nn.Linear(64, 32)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(32, 10)
        self.dequant = tq.DeQuantStub()
        self.fusions = [["fc1", "relu"]] if fused else []

    def forward(self, x):
        x = self.quant(x)
        return self.dequant(self.fc2(self.relu(self.fc1(x))))


class DepthwiseSeparable(nn.Module):
    """Conv 1->8 3x3 + ReLU, depthwise 8->8 3x3 + ReLU, pointwise 8->16 1x1 + ReLU, MaxPool 2,
    Linear 256->10. The flatten is x.reshape(batch, -1), which exports a shape subgraph, except
    where reshape_flatten is False: torch 1.13 fails to export that reshape on a converted int8
    model (an internal assert in export.cpp), so the int8 export uses torch.flatten(x, 1)."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv = nn.Conv2d(1, 8, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.depthwise = nn.Conv2d(8, 8, 3, padding=1, groups=8)
        self.relu2 = nn.ReLU()
        self.pointwise = nn.Conv2d(8, 16, 1)
        self.relu3 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(256, 10)
        self.dequant = tq.DeQuantStub()
        self.fusions = [["conv", "relu1"], ["depthwise", "relu2"], ["pointwise", "relu3"]]
        self.reshape_flatten = True

    def forward(self, x):
        x = self.quant(x)
        x = self.relu1(self.conv(x))
        x = self.relu2(self.depthwise(x))
        x = self.relu3(self.pointwise(x))
        x = self.pool(x)
        x = x.reshape(x.shape[0], -1) if self.reshape_flatten else torch.flatten(x, 1)
        return self.dequant(self.fc(x))


class UNet(nn.Module):
    """A U-Net-style block: Conv 1->8 3x3 + ReLU (the skip), MaxPool 2, Conv 8->8 3x3 + ReLU,
    nearest upsampling by 2 (nn.Upsample, exported as Resize), concatenated with the skip,
    Conv 16->4 3x3 + ReLU, Linear 256->10."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.down = nn.Conv2d(1, 8, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.bottom = nn.Conv2d(8, 8, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.skip = nn.quantized.FloatFunctional()
        self.merge = nn.Conv2d(16, 4, 3, padding=1)
        self.relu3 = nn.ReLU()
        self.fc = nn.Linear(256, 10)
        self.dequant = tq.DeQuantStub()
        self.fusions = [["down", "relu1"], ["bottom", "relu2"], ["merge", "relu3"]]

    def forward(self, x):
        x = self.quant(x)
        skip = self.relu1(self.down(x))
        y = self.up(self.relu2(self.bottom(self.pool(skip))))
        y = self.relu3(self.merge(self.skip.cat([skip, y], 1)))
        return self.dequant(self.fc(torch.flatten(y, 1)))


class ChannelShuffle(nn.Module):
    """ShuffleNet-style channel handling: Conv 1->8 3x3 + ReLU, split into two halves
    (torch.split), Conv 4->4 3x3 + ReLU on the second, concatenated again, the channel shuffle
    x.reshape(n, 2, c // 2, h, w).transpose(1, 2) (a 5-D Transpose), a grouped Conv 8->16 3x3
    (groups 2) + ReLU, its channels reordered by torch.index_select with constant indices
    (Gather), MaxPool 2, Linear 256->10."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv = nn.Conv2d(1, 8, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.branch = nn.Conv2d(4, 4, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.join = nn.quantized.FloatFunctional()
        self.grouped = nn.Conv2d(8, 16, 3, padding=1, groups=2)
        self.relu3 = nn.ReLU()
        self.register_buffer("order", torch.tensor([0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15]))
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(256, 10)
        self.dequant = tq.DeQuantStub()
        self.fusions = [["conv", "relu1"], ["branch", "relu2"], ["grouped", "relu3"]]

    def forward(self, x):
        x = self.quant(x)
        x = self.relu1(self.conv(x))
        kept, changed = torch.split(x, 4, dim=1)
        x = self.join.cat([kept, self.relu2(self.branch(changed))], 1)
        n, c, h, w = x.shape
        x = x.reshape(n, 2, c // 2, h, w).transpose(1, 2).reshape(n, c, h, w)
        x = torch.index_select(self.relu3(self.grouped(x)), 1, self.order)
        return self.dequant(self.fc(torch.flatten(self.pool(x), 1)))


# ----- training -------------------------------------------------------------------------------

def train(model, x, y, epochs, learning_rate, seed):
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
    inputs, labels = torch.from_numpy(x), torch.from_numpy(y)
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(inputs), generator=generator)
        for start in range(0, len(inputs), BATCH):
            batch = order[start:start + BATCH]
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(inputs[batch]), labels[batch])
            loss.backward()
            optimizer.step()
    model.eval()
    return model


def logits(model, x):
    with torch.no_grad():
        out = model(torch.from_numpy(x))
        return (out.dequantize() if out.is_quantized else out).numpy().astype(np.float32)


def accuracy(outputs, labels):
    return float((outputs.argmax(axis=1) == labels).mean())


# ----- the workaround for torch.onnx.export -----------------------------------------------------

class ExportableFakeQuantize(nn.Module):
    """A frozen fake-quantize that torch.onnx.export understands.

    torch 1.13's default QAT qconfigs use FusedMovingAvgObsFakeQuantize, whose operator
    aten::fused_moving_avg_obs_fake_quant has no ONNX export. Once training is over the observer
    is off and the module only applies torch.fake_quantize_per_tensor_affine /
    fake_quantize_per_channel_affine with its frozen scale and zero point: calling those directly
    gives identical outputs (checked below) and exports as QuantizeLinear -> DequantizeLinear
    (with a Clip between them when the range is narrower than the type's, e.g. reduce_range's
    quant_max 127 on quint8).
    """

    def __init__(self, fake_quantize):
        super().__init__()
        # The buffers the module itself computes with (calculate_qparams() recomputes them from
        # the observer's running range, which torch's convert() uses and which can differ slightly).
        scale, zero_point = fake_quantize.scale, fake_quantize.zero_point
        self.per_channel = fake_quantize.qscheme in (torch.per_channel_symmetric, torch.per_channel_affine)
        self.register_buffer("scale", scale.detach().clone().float())
        self.register_buffer("zero_point", zero_point.detach().clone().int())
        self.quant_min = fake_quantize.quant_min
        self.quant_max = fake_quantize.quant_max
        self.axis = fake_quantize.ch_axis

    def forward(self, x):
        if self.per_channel:
            return torch.fake_quantize_per_channel_affine(
                x, self.scale, self.zero_point, self.axis, self.quant_min, self.quant_max)
        return torch.fake_quantize_per_tensor_affine(
            x, float(self.scale), int(self.zero_point), self.quant_min, self.quant_max)


def exportable(qat_model):
    """A copy of a QAT-prepared model with every fake-quantize replaced by ExportableFakeQuantize."""
    model = copy.deepcopy(qat_model).eval()
    # FX registers one fake-quantize under several names where tensors share quantization
    # (MaxPool, flatten): every name gets the same replacement.
    replacements = {}

    def swap(module):
        for name, child in list(module._modules.items()):
            if isinstance(child, tq.FakeQuantizeBase):
                if id(child) not in replacements:
                    replacements[id(child)] = ExportableFakeQuantize(child)
                setattr(module, name, replacements[id(child)])
            elif child is not None:
                swap(child)

    swap(model)
    return model


# ----- recipes --------------------------------------------------------------------------------

def float_model(make, x, y, seed):
    torch.manual_seed(seed)
    return train(make(), x, y, FLOAT_EPOCHS, 1e-3, seed)


def eager_qat(trained_float, backend, x, y, seed):
    model = copy.deepcopy(trained_float).eval()
    if model.fusions:
        tq.fuse_modules(model, model.fusions, inplace=True)
    model.train()
    model.qconfig = tq.get_default_qat_qconfig(backend)
    tq.prepare_qat(model, inplace=True)
    train(model, x, y, QAT_EPOCHS, 1e-4, seed + 1)
    model.apply(tq.disable_observer)
    return model


def eager_ptq(trained_float, backend, x):
    model = copy.deepcopy(trained_float).eval()
    if model.fusions:
        tq.fuse_modules(model, model.fusions, inplace=True)
    model.qconfig = tq.get_default_qconfig(backend)
    tq.prepare(model, inplace=True)
    with torch.no_grad():
        model(torch.from_numpy(x))
    return model


def fx_qat(trained_float, backend, x, y, seed):
    model = copy.deepcopy(trained_float).train()
    example = (torch.from_numpy(x[:1]),)
    model = quantize_fx.prepare_qat_fx(model, tq.get_default_qat_qconfig_mapping(backend), example)
    train(model, x, y, QAT_EPOCHS, 1e-4, seed + 1)
    model.apply(tq.disable_observer)
    return model


def converted(prepared, engine, fx):
    """The int8 model torch runs, packed for one quantized engine."""
    torch.backends.quantized.engine = engine
    model = copy.deepcopy(prepared).eval()
    return quantize_fx.convert_fx(model) if fx else tq.convert(model)


# ----- export and outputs ---------------------------------------------------------------------

def save(name, array):
    np.save(os.path.join(HERE, name), array)
    return name


def export(model, x, name, dynamic_batch):
    """torch.onnx.export as a user calls it: opset 13, named input and output, optionally a dynamic batch."""
    path = os.path.join(HERE, name + ".onnx")
    torch.onnx.export(
        model, torch.from_numpy(x[:1]), path, opset_version=OPSET,
        input_names=["input"], output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}} if dynamic_batch else None)
    onnx.checker.check_model(onnx.load(path))
    size = os.path.getsize(path)
    print(f"  {name}.onnx: {size} bytes")
    return {"kind": "int8" if name.endswith("_int8") else "fakequant", "onnx": name + ".onnx", "onnxBytes": size, "dynamicBatch": dynamic_batch}


def int8_outputs(name, prepared, fx, x, y):
    """torch's converted int8 model on each engine: its output codes (int_repr) with their scale
    and zero point, and accuracy. Returns the manifest part and the model converted for the
    first engine (the one exported)."""
    result = {"torchInt8": {}}
    models = {}
    for engine in ENGINES:
        model = converted(prepared, engine, fx)
        with torch.no_grad():
            out = model(torch.from_numpy(x))
        # The dequantize at the end is part of the model; run it without to keep the codes.
        codes = quantized_logits(model, x, fx)
        dequantized = out.numpy().astype(np.float32)
        if not np.array_equal((codes.int_repr().numpy().astype(np.float32) - codes.q_zero_point()) * np.float32(codes.q_scale()), dequantized):
            raise SystemExit(f"{name}: the int8 output codes do not give the model's dequantized output")
        result["torchInt8"][engine] = {
            "codes": save(f"{name}.torch_int8_{engine}.npy", codes.int_repr().numpy()),
            "scale": float(codes.q_scale()),
            "zeroPoint": int(codes.q_zero_point()),
            "accuracy": accuracy(dequantized, y),
        }
        models[engine] = model
    return result, models[ENGINES[0]]


def quantized_logits(model, x, fx):
    """The quantized tensor a converted model dequantizes last, caught with a hook on its input."""
    caught = []
    if fx:
        # convert_fx ends the graph with a dequantize call: run the graph up to its argument.
        graph = copy.deepcopy(model.graph)
        output = next(node for node in graph.nodes if node.op == "output")
        dequantize = output.args[0]
        output.args = (dequantize.args[0],)
        graph.erase_node(dequantize)
        truncated = torch.fx.GraphModule(model, graph)
        with torch.no_grad():
            return truncated(torch.from_numpy(x))
    handle = model.dequant.register_forward_hook(lambda module, inputs, output: caught.append(inputs[0]))
    with torch.no_grad():
        model(torch.from_numpy(x))
    handle.remove()
    return caught[0]


def describe(name, description, recipe, float_net, x, y):
    out = logits(float_net, x)
    print(f"{name}: {description}")
    return {
        "name": name,
        "description": description,
        "recipe": recipe,
        "inputShape": [1] + list(x.shape[1:]),
        "torchFloat": save(name + ".torch_float.npy", out),
        "torchFloatAccuracy": accuracy(out, y),
        "exports": [],
    }


LINEAR_RELU_REFUSED = "quantized::linear_relu has no ONNX export in torch 1.13"


def qat_model(name, description, recipe, float_net, qat, fx, x, y, dynamic_batch, int8_export, int8_refused=LINEAR_RELU_REFUSED):
    """A QAT model: the QAT model itself exported (with the fake-quantize workaround) and, unless
    int8_export is None (torch cannot export it: int8_refused says why), the converted int8 model
    exported too."""
    entry = describe(name, description, recipe, float_net, x, y)
    model = exportable(qat)
    inputs = torch.from_numpy(x)
    with torch.no_grad():
        before = qat.eval()(inputs)
        after = model(inputs)
    if not torch.equal(before, after):
        raise SystemExit(f"{name}: the exportable fake-quantize changed the outputs")
    fake_quant = after.numpy().astype(np.float32)
    entry["torchFakeQuant"] = save(name + ".torch_fakequant.npy", fake_quant)
    entry["torchFakeQuantAccuracy"] = accuracy(fake_quant, y)
    int8, exported = int8_outputs(name, qat, fx, x, y)
    entry.update(int8)
    entry["exports"].append(export(model, x, name + "_fakequant", dynamic_batch))
    if int8_export is not None:
        int8_export(exported)
        entry["exports"].append(export(exported, x, name + "_int8", dynamic_batch))
    else:
        entry["int8ExportRefusedByTorch"] = int8_refused
    return entry


def ptq_model(name, description, recipe, float_net, prepared, x, y, dynamic_batch):
    """A PTQ model: observers, not fake-quantize, so only the converted int8 model exports."""
    entry = describe(name, description, recipe, float_net, x, y)
    int8, exported = int8_outputs(name, prepared, False, x, y)
    entry.update(int8)
    entry["exports"].append(export(exported, x, name + "_int8", dynamic_batch))
    return entry


def as_is(model):
    return model


def flatten_for_int8(model):
    model.reshape_flatten = False
    return model


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    x_train, x_test, y_train, y_test = digits()
    save("digits_test_x.npy", x_test)
    save("digits_test_y.npy", y_test.astype(np.int32))
    flat_train, flat_test = x_train.reshape(-1, 64), x_test.reshape(-1, 64)
    models = []

    cnn = float_model(Cnn, x_train, y_train, SEED)
    models.append(qat_model(
        "cnn_qat_fbgemm", "CNN, eager-mode QAT, fbgemm qconfig (per-channel weights, reduce_range activations)",
        "fuse_modules; get_default_qat_qconfig('fbgemm'); prepare_qat; train; convert",
        cnn, eager_qat(cnn, "fbgemm", x_train, y_train, SEED), False, x_test, y_test, True, as_is))

    mlp_fused = float_model(lambda: Mlp(fused=True), flat_train, y_train, SEED + 10)
    models.append(qat_model(
        "mlp_fused_qat_fbgemm", "MLP with Linear+ReLU fused, eager-mode QAT, fbgemm qconfig",
        "fuse_modules(fc1, relu); get_default_qat_qconfig('fbgemm'); prepare_qat; train; convert",
        mlp_fused, eager_qat(mlp_fused, "fbgemm", flat_train, y_train, SEED + 10), False, flat_test, y_test, True, None))

    mlp_unfused = float_model(lambda: Mlp(fused=False), flat_train, y_train, SEED + 10)
    models.append(qat_model(
        "mlp_unfused_qat_fbgemm", "MLP with the ReLU unfused (no fake-quantize of its own), eager-mode QAT, fbgemm qconfig",
        "get_default_qat_qconfig('fbgemm'); prepare_qat; train; convert",
        mlp_unfused, eager_qat(mlp_unfused, "fbgemm", flat_train, y_train, SEED + 10), False, flat_test, y_test, False, as_is))

    dwsep = float_model(DepthwiseSeparable, x_train, y_train, SEED + 20)
    models.append(qat_model(
        "dwsep_qat_qnnpack", "depthwise-separable block, eager-mode QAT, qnnpack qconfig (per-tensor weights, full-range activations)",
        "fuse_modules; get_default_qat_qconfig('qnnpack'); prepare_qat; train; convert",
        dwsep, eager_qat(dwsep, "qnnpack", x_train, y_train, SEED + 20), False, x_test, y_test, True, flatten_for_int8))

    cnn_fx = float_model(lambda: Cnn(stubs=False), x_train, y_train, SEED + 30)
    models.append(qat_model(
        "cnn_fx_qat_fbgemm", "CNN, FX graph mode QAT, fbgemm qconfig mapping",
        "prepare_qat_fx(get_default_qat_qconfig_mapping('fbgemm')); train; convert_fx",
        cnn_fx, fx_qat(cnn_fx, "fbgemm", x_train, y_train, SEED + 30), True, x_test, y_test, False, as_is))

    models.append(ptq_model(
        "cnn_ptq_qnnpack", "CNN, eager-mode PTQ, qnnpack qconfig (per-tensor weights)",
        "fuse_modules; get_default_qconfig('qnnpack'); prepare; calibrate on the training split; convert",
        cnn, eager_ptq(cnn, "qnnpack", x_train), x_test, y_test, False))
    models.append(ptq_model(
        "mlp_unfused_ptq_fbgemm", "MLP with the ReLU unfused, eager-mode PTQ, fbgemm qconfig (per-channel weights)",
        "get_default_qconfig('fbgemm'); prepare; calibrate on the training split; convert",
        mlp_unfused, eager_ptq(mlp_unfused, "fbgemm", flat_train), flat_test, y_test, True))

    unet = float_model(UNet, x_train, y_train, SEED + 40)
    models.append(qat_model(
        "unet_qat_fbgemm", "U-Net-style block (nearest upsampling by 2, concatenated with the skip), eager-mode QAT, fbgemm qconfig",
        "fuse_modules; get_default_qat_qconfig('fbgemm'); prepare_qat; train; convert",
        unet, eager_qat(unet, "fbgemm", x_train, y_train, SEED + 40), False, x_test, y_test, True, as_is))

    shuffle = float_model(ChannelShuffle, x_train, y_train, SEED + 50)
    models.append(qat_model(
        "shuffle_qat_fbgemm", "channel split, 5-D channel shuffle and index_select (Split, Transpose, Gather), eager-mode QAT, fbgemm qconfig",
        "fuse_modules; get_default_qat_qconfig('fbgemm'); prepare_qat; train; convert",
        shuffle, eager_qat(shuffle, "fbgemm", x_train, y_train, SEED + 50), False, x_test, y_test, True, None,
        "torch 1.13 exports none of split, index_select, cat of split parts or the 5-D shuffle on a converted int8 model "
        "(\"ONNX symbolic expected the output of onnx::Split to be a quantized tensor\", and an internal assert in export.cpp)"))

    manifest = {
        "generator": "make_fixtures.py",
        "seed": SEED,
        "versions": {"torch": torch.__version__, "onnx": onnx.__version__, "sklearn": sklearn.__version__, "numpy": np.__version__},
        "opset": OPSET,
        "engines": list(ENGINES),
        "exportedEngine": ENGINES[0],
        "inputs": "digits_test_x.npy",
        "labels": "digits_test_y.npy",
        "samples": int(len(y_test)),
        "models": models,
    }
    with open(os.path.join(HERE, "manifest.json"), "w") as file:
        json.dump(manifest, file, indent=2)
        file.write("\n")


if __name__ == "__main__":
    sys.exit(main())
