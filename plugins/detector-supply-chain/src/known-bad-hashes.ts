/**
 * SHA-256 digests of published malicious model files: the malicious samples of the picklescan test
 * corpus (MIT), most of them reproductions of GitHub security advisories (`GHSA-*`). Each digest was
 * computed locally from the file itself, read in place:
 *
 *   /usr/bin/python3 tooling/fixtures/generate_supply_chain_fixtures.py --known-bad-hashes [CORPUS]
 *
 * A digest catches only that exact file; the other detectors judge what the file does. Users add their
 * own indicators with `options["supply-chain"].denySha256`.
 */
export interface KnownBadHash {
  /** Lower-case hex SHA-256 of the whole file. */
  sha256: string;
  /** The sample's name where it was published (several names when identical files were published twice). */
  name: string;
  source: string;
}

const SOURCE = "picklescan test corpus (MIT)";

export const KNOWN_BAD_HASHES: readonly KnownBadHash[] = [
  {
    sha256: "9b090cf6dc7582c7c5ad47c00b7575eb143ed49d98d118368bbe850eeb89b00a",
    name: "data/broken_model.pkl",
    source: SOURCE,
  },
  {
    sha256: "7afc553399c77ad69e51a720780ed6130a6c39075ee0bd14061925b1bdce83e5",
    name: "data/malicious-invalid-bytes.pkl",
    source: SOURCE,
  },
  {
    sha256: "4afa15451e18b5bb1566f7b5b30c1eb8ed250ae8143fecc3779efb34230fe49f",
    name: "data/malicious0.pkl",
    source: SOURCE,
  },
  {
    sha256: "0ce5a12db727d863998f705c82bd4a51bedf05d2e23950011c474a21ac380423",
    name: "data/malicious1.7z",
    source: SOURCE,
  },
  {
    sha256: "7d3dcc04ae0b6ffb4618ac4ad97bbee407239028aa0982783ad470caa3a2478d",
    name: "data/malicious1.zip",
    source: SOURCE,
  },
  {
    sha256: "4915a143e57179c659c8335e21748fcf18a6ff686dac486055510afd78424e1d",
    name: "data/malicious10.pkl",
    source: SOURCE,
  },
  {
    sha256: "4bac393350c4fd6114e554593c80f93f07345282c11eac0ecfd1ae8b35e782ff",
    name: "data/malicious11.pkl",
    source: SOURCE,
  },
  {
    sha256: "8530b3dbc2ae0a6dca17a9cb7c8acbab1a55f43812fc97f578e49312d0ffab7b",
    name: "data/malicious12.pkl",
    source: SOURCE,
  },
  {
    sha256: "e819eae9666474c61b1dd42e26154834c2d0236564d1679f3f8485b88bb44624",
    name: "data/malicious13a.pkl",
    source: SOURCE,
  },
  {
    sha256: "a1d4ff050fb28aea5dee5f40de01c88f6dc9121855fb9fb86a02c43408d737bb",
    name: "data/malicious13b.pkl",
    source: SOURCE,
  },
  {
    sha256: "9ea5ce608642933ffb895b7e354beb8d939563ad894cb11e2a44ffea3cc2e55d",
    name: "data/malicious14.pkl",
    source: SOURCE,
  },
  {
    sha256: "2f6fed8304939800ff7799c8b3b2a26e6e41f258727aa12096fb5f588a260133",
    name: "data/malicious15a.pkl",
    source: SOURCE,
  },
  {
    sha256: "e5702d8bec9a64e347ec3bd308be0d4bacd02de53bf7eac1a1b47ad66b8c5bc8",
    name: "data/malicious15b.pkl",
    source: SOURCE,
  },
  {
    sha256: "671ac416077641eeb682f74baa6fb6a90e3bf2b0fe2a59e90f46119162319847",
    name: "data/malicious16.pkl",
    source: SOURCE,
  },
  {
    sha256: "e608925029d3ea2babc30a2f4b6a4db15c2e1c14a2b1259119499c8e660d77ad",
    name: "data/malicious17.pkl",
    source: SOURCE,
  },
  {
    sha256: "8b02be522b0ec893cf9d1a54cd311a4d15195f71c9d082b1a2e700727e580856",
    name: "data/malicious18.pkl",
    source: SOURCE,
  },
  {
    sha256: "feb9acbcc362797cd56203bdce20760186d62ae2b68c407d4caaac66faa711e3",
    name: "data/malicious19.pkl",
    source: SOURCE,
  },
  {
    sha256: "21a4ef24314ff07324a7ba2379572e5bd4804781ba039d7a57656b7dd7b7ff80",
    name: "data/malicious1_0x1.zip",
    source: SOURCE,
  },
  {
    sha256: "0d69b07bbcbc41c57270cddeb81b6b0cc31843777542c4973b977b62434f9615",
    name: "data/malicious1_0x20.zip",
    source: SOURCE,
  },
  {
    sha256: "ba6ec7dd08e8084b74b05699cfa4aa26776b456331c77561248346534c010ce3",
    name: "data/malicious1_0x40.zip",
    source: SOURCE,
  },
  {
    sha256: "1a80c2d58a33992364430c229b6ce1e1762a64ead2931db0c31960fe6bf659dd",
    name: "data/malicious1_central_directory.zip",
    source: SOURCE,
  },
  {
    sha256: "cb0829232649140114fdbe5700a1e5d2768c7f94b5917220905d9c7045a271f7",
    name: "data/malicious1_v0.pkl",
    source: SOURCE,
  },
  {
    sha256: "e37284d4fc97a08e54b04037a0905e8c3cb70cedfc689f5d9465854ce50545b9",
    name: "data/malicious1_v3.pkl",
    source: SOURCE,
  },
  {
    sha256: "5d8763993fc5d724bedd06a1c56ce329ec29f0c05c3e0b6b69999045add63e8a",
    name: "data/malicious1_v4.pkl",
    source: SOURCE,
  },
  {
    sha256: "a12728e9ae6c0903cbe7e110deed03e7b320e6e96dd91bd8346fdf8bcae905af",
    name: "data/malicious1_wrong_ext.zip",
    source: SOURCE,
  },
  {
    sha256: "e6940532c943948118e0a4eaf2cbd1d2a6f14070154ce59e2394287ee320c62c",
    name: "data/malicious20.pkl",
    source: SOURCE,
  },
  {
    sha256: "d8f419be6dad5fcab18c97533e8c76675cb6123df9ddf3ac708a42934c87b833",
    name: "data/malicious2_v0.pkl",
    source: SOURCE,
  },
  {
    sha256: "327676865a7fcb089974a36e3e0c12a595500e28643ac3b9484ea62c51b2700c",
    name: "data/malicious2_v3.pkl",
    source: SOURCE,
  },
  {
    sha256: "64a3680e510699658704ff29693688e732988be7228814f109933f2b493c3ad1",
    name: "data/malicious2_v4.pkl",
    source: SOURCE,
  },
  {
    sha256: "51679dbb09de3fba2880e2f8b62d4d4b850aad95ffba17bb90de945a7568a936",
    name: "data/malicious3.pkl",
    source: SOURCE,
  },
  {
    sha256: "7642e222dd0760e78ad9e705a752136d0b70953c27575931933a163fa3108d8a",
    name: "data/malicious4.pickle",
    source: SOURCE,
  },
  {
    sha256: "fb3ec2eb31f849377f5d8088c0c3665fb8bdfe01a5fd47465e1747b3bd643c9c",
    name: "data/malicious5.pickle",
    source: SOURCE,
  },
  {
    sha256: "d3dcd9f1f89d50fcf4ce6e50dcb59a78d64c386eb320fbf18bcbb9b3de05b110",
    name: "data/malicious6.pkl",
    source: SOURCE,
  },
  {
    sha256: "6860c76a4e8bda4912102bab9fc838e739783ca461e3638fa3ec6318505d0c28",
    name: "data/malicious7.pkl",
    source: SOURCE,
  },
  {
    sha256: "d83261c263d6970bc46f904c9a0cab96e6e0f5d80f3ec36a181cabda8f007b66",
    name: "data/malicious8.pkl",
    source: SOURCE,
  },
  {
    sha256: "2265909c5f683e65a532425550952ea35f8b7c2e52ef34943aa2e4c31a85b858",
    name: "data/malicious9.pkl",
    source: SOURCE,
  },
  {
    sha256: "665fd43c051d45d8a2b40bf76a0ded06a7587f15af75e1081bd1bd5de6f988ed",
    name: "data/pytorch_magic_bypass.pt",
    source: SOURCE,
  },
  {
    sha256: "cdb7564de44b640d741f117a615f0b5b7eca028ddb5e69084ea20ee7413f35f7",
    name: "data/sys_module_override_sploit.pkl",
    source: SOURCE,
  },
  {
    sha256: "2750f0cc94932fee2fd12f918551f63c51565c001fdb0e5a9817446448bcb3bc",
    name: "data2/GHSA-3gf5-cxq9-w223.pkl",
    source: SOURCE,
  },
  {
    sha256: "48b14d84e3d02f7939889e28901eb2b289de6469ac08158315607d8960906fe3",
    name: "data2/GHSA-3vg9-h568-4w9m.pkl",
    source: SOURCE,
  },
  {
    sha256: "3bbf35c8d663061c872535d3c6cceb590914de77f03829293951d7a71ff1092f",
    name: "data2/GHSA-4675-36f9-wf6r.pkl",
    source: SOURCE,
  },
  {
    sha256: "15abc47d1c6024853abf18fcbf3fc3664900f5393bd39de5d93ffdcbe46e9e95",
    name: "data2/GHSA-46h3-79wf-xr6c.pkl",
    source: SOURCE,
  },
  {
    sha256: "228f9b57bb0ac34ee460c45856a13d578a78090d4bf9ce93f76058b6a08f80f4",
    name: "data2/GHSA-49gj-c84q-6qm9.pkl",
    source: SOURCE,
  },
  {
    sha256: "6f12521032789ad5b3659dc6ae823aef2cd4bc3883d2c7d29b39990d4dca1488",
    name: "data2/GHSA-4r9r-ch6f-vxmx.pkl",
    source: SOURCE,
  },
  {
    sha256: "82a1998bf5a5b01e3e541855ad96093664d83f008a877ee7102f0f55d082d13a",
    name: "data2/GHSA-4whj-rm5r-c2v8.pkl",
    source: SOURCE,
  },
  {
    sha256: "be118d678fe2d2935f9fddf8508c8523802450f2b2e415fa7b36ddcc9271d3fc",
    name: "data2/GHSA-5qwp-399c-mjwf.pkl",
    source: SOURCE,
  },
  {
    sha256: "10692e448b9c8fec727e911369ccfc722270c88379911d08b26f8899d9a97d29",
    name: "data2/GHSA-6vqj-c2q5-j97w.pkl",
    source: SOURCE,
  },
  {
    sha256: "d5bd1b19d3dfe6b5656b71dae23c691a7e8eaf4bc4695f6877683fc8c62d3e7b",
    name: "data2/GHSA-6w4w-5w54-rjvr.pkl",
    source: SOURCE,
  },
  {
    sha256: "68ba884c1d07cd5a7f7ac84f12cfb0d2de22256cab0f9c8cda470d8177ef795a",
    name: "data2/GHSA-7cq8-mj8x-j263.pkl",
    source: SOURCE,
  },
  {
    sha256: "ea36c0a47f6893a7cea8b91abe333722174285be036bb451a3d6631c77c8a30c",
    name: "data2/GHSA-7wx9-6375-f5wh.pkl",
    source: SOURCE,
  },
  {
    sha256: "0b53259a8742248552f2cdebf9500dd20df37a9910d6052dd9206f8d61d6a1e8",
    name: "data2/GHSA-84r2-jw7c-4r5q.pkl",
    source: SOURCE,
  },
  {
    sha256: "5bed4c6327e2794b65974e7ff8607388e56ce7356839e04514ecc2346a16dbb0",
    name: "data2/GHSA-86cj-95qr-2p4f.pkl",
    source: SOURCE,
  },
  {
    sha256: "0018460e18e9c8061a6a901a810e71c7411a1c014c27bbf109dd27bb1dd460e0",
    name: "data2/GHSA-8r4j-24qv-fmq9.pkl",
    source: SOURCE,
  },
  {
    sha256: "644caf09eed1dbcfa96a4d879f2e15cbe6caf27175e0ee2184476111a1e47d27",
    name: "data2/GHSA-955r-x9j8-7rhh.pkl",
    source: SOURCE,
  },
  {
    sha256: "7ff083901d317710ef15bcb90e3197b3434d20090f8535151ed003c880b36b01",
    name: "data2/GHSA-9w88-8rmg-7g2p.pkl",
    source: SOURCE,
  },
  {
    sha256: "7f85418798b06fc23331c174aae0efff45692e2d179ecbf51067f4b94206d51f",
    name: "data2/GHSA-9xph-j2h6-g47v.pkl",
    source: SOURCE,
  },
  {
    sha256: "644b4d22139b66ab99e5305776bb2f751c15c941b2ceb83b560ca31bc81f6f7c",
    name: "data2/GHSA-cj3c-v495-4xqh.pkl",
    source: SOURCE,
  },
  {
    sha256: "80b44af844677c8fd4a3871bb67cdd2a0eb07250ddbbb1b80a27ccea6e8ce463",
    name: "data2/GHSA-f4x7-rfwp-v3xw.pkl",
    source: SOURCE,
  },
  {
    sha256: "06f84a7cbfbf82747944a5f9baa377fbffe58397b05c0b383a3fd3a592476fbb",
    name: "data2/GHSA-f54q-57x4-jg88.pkl",
    source: SOURCE,
  },
  {
    sha256: "595ffc0d2b33ace01a3f5f3a9f949a1c786815e6b476bea1eb00f62a8b5fad56",
    name: "data2/GHSA-f745-w6jp-hpxx.pkl",
    source: SOURCE,
  },
  {
    sha256: "1c898943d416ffc479dcf83a7bea0aae7f5aae5aa3523da8a96a9bbdd00d5e0f",
    name: "data2/GHSA-fqq6-7vqf-w3fg.pkl",
    source: SOURCE,
  },
  {
    sha256: "3263f9887542f365b6a5d64d5f2d3f1f95f661067fb876750ded810cf0dea6ad",
    name: "data2/GHSA-g344-hcph-8vgg.pkl",
    source: SOURCE,
  },
  {
    sha256: "ef6758eb38c48587332463846254dab28e549d81c66d8919ee7d597c3aa8ee23",
    name: "data2/GHSA-g38g-8gr9-h9xp-aix-support.pkl",
    source: SOURCE,
  },
  {
    sha256: "af8cd2fc4567a92a6565cf9ab3670f959360e7198e92353955d36e96f04f5979",
    name: "data2/GHSA-g38g-8gr9-h9xp-imaplib.pkl",
    source: SOURCE,
  },
  {
    sha256: "afe65d3884bcb8bb1c09243b664728032a29e2e6fc04f66c29c1280a310263ab",
    name: "data2/GHSA-g38g-8gr9-h9xp-osx-support.pkl",
    source: SOURCE,
  },
  {
    sha256: "435af49409b3ed3b5054b049ae0fb08b1764422d3953687fa6896ab56341d486",
    name: "data2/GHSA-g38g-8gr9-h9xp-pyrepl-pager.pkl",
    source: SOURCE,
  },
  {
    sha256: "d61e6f71e489bba668ae6441cfb3fd456bd228b33f922791a0a1543cfd37d5f9",
    name: "data2/GHSA-g38g-8gr9-h9xp-test.pkl",
    source: SOURCE,
  },
  {
    sha256: "a8ad9ac7911746dafdcc95b2f91ad4d17c3c1edc0a527c377d8db73d3b2483d7",
    name: "data2/GHSA-g38g-8gr9-h9xp-uuid.pkl",
    source: SOURCE,
  },
  {
    sha256: "55648362cbc8ecf4f4e4f574e40538073fda9241774a8245f85ecca3193e824a",
    name: "data2/GHSA-h3qp-7fh3-f8h4.pkl",
    source: SOURCE,
  },
  {
    sha256: "fe9358d530401c02de1156c8d1fb650342c2cc27ab1e27aabcedd6d3b1236eaf",
    name: "data2/GHSA-j343-8v2j-ff7w.pkl",
    source: SOURCE,
  },
  {
    sha256: "99163097ef0b75fdcaf9499ccf1a79a3a1d71d2d478cacbb8fe6c2c298125afb",
    name: "data2/GHSA-jgw4-cr84-mqxg.bin, data2/GHSA-q77w-mwjj-7mqx.pkl",
    source: SOURCE,
  },
  {
    sha256: "1538465249cb5d8cfabc9058c041c3d2e1577a4028b2840bc7fbe33badb7bcab",
    name: "data2/GHSA-jhph-76pp-mggw.pkl",
    source: SOURCE,
  },
  {
    sha256: "7560c0f0daad9f9060f56ec88ba69261f176617c080c3a6c2042399783345126",
    name: "data2/GHSA-m273-6v24-x4m4.pkl",
    source: SOURCE,
  },
  {
    sha256: "49beae4fa2dc7bb81f7164db14ccd82a5bb389e94f3a0ec118c05f05468f8558",
    name: "data2/GHSA-m869-42cg-3xwr.pkl",
    source: SOURCE,
  },
  {
    sha256: "b4098c201e67a580fe616d06d4b841c8a774c166a633e07a8347b5d9e9788501",
    name: "data2/GHSA-p9w7-82w4-7q8m.pkl",
    source: SOURCE,
  },
  {
    sha256: "40bd5da55450194ebe7503fc18c1a2bdf5a14cce94845fa082cd7957326ef2a1",
    name: "data2/GHSA-r8g5-cgf2-4m4m.pkl",
    source: SOURCE,
  },
  {
    sha256: "e5625feddeccb027b5d523bc5c552ae9b215c9dd334758f0536edfa12eb4a190",
    name: "data2/GHSA-vqmv-47xg-9wpr.pkl",
    source: SOURCE,
  },
  {
    sha256: "c27d108035f494da607f53a5b371b4e9ce49d89cce3fead55806bf536ba2f182",
    name: "data2/GHSA-vr7h-p6mm-wpmh.pkl",
    source: SOURCE,
  },
  {
    sha256: "4f7f6ea6b25d6343d7b42cf2cbc21347abcf55cad22ae0207ce6541ea24c7406",
    name: "data2/GHSA-vv6j-3g6g-2pvj.pkl",
    source: SOURCE,
  },
  {
    sha256: "bb2744e8d6fa360850db1d9c0280be5c066b3d1ba2f861ee2beb970659c5d4de",
    name: "data2/GHSA-vvpj-8cmc-gx39.pkl",
    source: SOURCE,
  },
  {
    sha256: "20e1f7a3cc3b6e36af1e7e2a44005907a1e9b0c09fa9761dd02202b7ea5cde10",
    name: "data2/GHSA-x696-vm39-cp64.pkl",
    source: SOURCE,
  },
  {
    sha256: "4932038a3f5c6dc6396bf7366b59159bac9d71d6b60d0c3a6e8af2754a69e3b0",
    name: "data2/GHSA-xp4f-hrf8-rxw7.pkl",
    source: SOURCE,
  },
  {
    sha256: "a92bf199a759a7a3e89c9c5354548d3682016582e2ce48019cc7752ccc3d6e5d",
    name: "data2/cloudpickle_codeinjection.pkl",
    source: SOURCE,
  },
  {
    sha256: "67a11b0cddfe9c7ba8cfdaca680fda1f542e95dec9e82224ff5748f192b6403c",
    name: "data2/dns_exfiltration.npy",
    source: SOURCE,
  },
  {
    sha256: "4f0f3f62fa684e4b3002048b4b8b4ab67733be85deb1a953bffdbe049c0abfc4",
    name: "data2/io_FileIO.pkl",
    source: SOURCE,
  },
  {
    sha256: "5e692fd09244d8c0c0900ce551e527498d165eedc29a7b2f02e564b07738f019",
    name: "data2/keyerror-exploit.pkl",
    source: SOURCE,
  },
  {
    sha256: "9c71dab053424c454a40187383c2819c3c27ef5765662b2eeca2f28347fd81fb",
    name: "data2/logging_FileHandler.pkl",
    source: SOURCE,
  },
  {
    sha256: "9a575aeaa18e9266a12f945ceeed7ce1805b6ca6827520aec80cbf6e5fabd62c",
    name: "data2/malicious1_crc.zip",
    source: SOURCE,
  },
  {
    sha256: "dcae0535702d4fea6f3cff4d5e4ce05590cd9f2b35696835d08b4fb81330bd16",
    name: "data2/malicious21.pkl",
    source: SOURCE,
  },
  {
    sha256: "8630832eb324962aad0ca0ff37a093f5959eb2fd0c80d56d5e0bb9ba733e1be0",
    name: "data2/malicious22.pkl",
    source: SOURCE,
  },
  {
    sha256: "ce28648f498aec1d2e60048b512c3c8c5101c3c63d16c7487867564b60a0f8de",
    name: "data2/malicious23.pkl",
    source: SOURCE,
  },
  {
    sha256: "846e119a22a824cf0775470e19ef29c6dae1328783d8b8fa3a8057411726b55a",
    name: "data2/type-confusion-exploit.pkl",
    source: SOURCE,
  },
  {
    sha256: "16fd5dc0ceabf28b324d206fe9cb95c31417bbaa899812640fc96d75741dbb90",
    name: "data2/types_CodeType.pkl",
    source: SOURCE,
  },
  {
    sha256: "3aa192a949e5b2e71200289bd2d937938869eddf495c86a78288661707a68496",
    name: "data2/urllib_request_urlopen.pkl",
    source: SOURCE,
  },
];
