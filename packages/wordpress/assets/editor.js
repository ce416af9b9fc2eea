/**
 * The editor side of Chorus's blocks, in plain JavaScript on WordPress's globals (no build step). Each
 * block's canvas is the server's rendering of it (ServerSideRender), which the real elements, loaded in
 * the editor, upgrade: what the author sees is what the reader gets. Its text is edited above the
 * preview, every other attribute in the sidebar.
 *
 * The blocks of Better Click To Tweet and Novashare, when Chorus renders them (their plugin is gone),
 * get a preview too and a transform into Chorus's quote block.
 */
( function ( wp ) {
	'use strict';
	var el = wp.element.createElement;
	var __ = wp.i18n.__;
	var blockEditor = wp.blockEditor;
	var components = wp.components;
	var ServerSideRender = wp.serverSideRender;

	function setter( props, name ) {
		return function ( value ) {
			var change = {};
			change[ name ] = value;
			props.setAttributes( change );
		};
	}

	// One control per attribute: [name, label, kind ('text', 'textarea', 'toggle', 'number'), help].
	function control( props, field ) {
		var name = field[ 0 ];
		var kind = field[ 2 ] || 'text';
		var common = { key: name, label: field[ 1 ], help: field[ 3 ], onChange: setter( props, name ) };
		if ( kind === 'toggle' ) {
			return el( components.ToggleControl, Object.assign( common, { checked: !! props.attributes[ name ] } ) );
		}
		if ( kind === 'textarea' ) {
			return el( components.TextareaControl, Object.assign( common, { value: props.attributes[ name ] || '' } ) );
		}
		if ( kind === 'number' ) {
			return el(
				components.TextControl,
				Object.assign( common, {
					type: 'number',
					value: props.attributes[ name ] || '',
					onChange: function ( value ) {
						setter( props, name )( parseInt( value, 10 ) || 0 );
					},
				} )
			);
		}
		return el( components.TextControl, Object.assign( common, { value: props.attributes[ name ] || '' } ) );
	}

	/**
	 * An edit function: the main fields above the preview while the block is selected (or while it is
	 * empty), the others in the sidebar, and the server's rendering with the real element.
	 */
	function editor( main, sidebar, extra ) {
		return function ( props ) {
			var empty = main.every( function ( field ) {
				return ! props.attributes[ field[ 0 ] ];
			} );
			var children = [
				el(
					blockEditor.InspectorControls,
					{ key: 'inspector' },
					el(
						components.PanelBody,
						{ title: __( 'Settings', 'chorus' ) },
						sidebar.map( function ( field ) {
							return control( props, field );
						} )
					)
				),
			];
			if ( props.isSelected || empty ) {
				children.push(
					el(
						'div',
						{ key: 'fields', className: 'chorus-editor-fields' },
						main.map( function ( field ) {
							return control( props, field );
						} ),
						extra ? extra( props ) : null
					)
				);
			}
			if ( ! empty ) {
				children.push( el( ServerSideRender, { key: 'preview', block: props.name, attributes: props.attributes } ) );
			}
			return el( 'div', blockEditor.useBlockProps(), children );
		};
	}

	var save = function () {
		return null;
	};

	wp.blocks.registerBlockType( 'chorus/quote-to-tweet', {
		edit: editor(
			[ [ 'quote', __( 'Quote', 'chorus' ), 'textarea', __( 'The quote readers see and share.', 'chorus' ) ] ],
			[
				[ 'text', __( 'Text to share', 'chorus' ), 'textarea', __( 'When it is not the quote itself.', 'chorus' ) ],
				[ 'url', __( 'Link to share', 'chorus' ), 'text', __( 'Empty: this post. "none": no link.', 'chorus' ) ],
				[ 'via', __( 'X handle', 'chorus' ), 'text', __( 'Empty: the site\'s. "no": none.', 'chorus' ) ],
				[ 'related', __( 'Accounts to suggest', 'chorus' ), 'text', __( 'X accounts suggested to follow after the post: handles, separated by commas.', 'chorus' ) ],
				[ 'hashtags', __( 'Hashtags', 'chorus' ), 'text', __( 'Separated by spaces or commas.', 'chorus' ) ],
				[ 'networks', __( 'Networks', 'chorus' ), 'text', __( 'Empty: the site\'s. For example: x bluesky mastodon threads linkedin', 'chorus' ) ],
				[ 'label', __( 'Button', 'chorus' ), 'text', __( 'Empty: "Click to Tweet".', 'chorus' ) ],
				[ 'nofollow', __( 'Links rel="nofollow"', 'chorus' ), 'toggle' ],
				[ 'id', __( 'Name in reports', 'chorus' ), 'text', __( 'The element\'s id; empty: a short hash of the quote.', 'chorus' ) ],
			]
		),
		save: save,
	} );

	wp.blocks.registerBlockType( 'chorus/comment-prompt', {
		edit: editor(
			[ [ 'question', __( 'Question', 'chorus' ), 'textarea', __( 'What you ask your readers.', 'chorus' ) ] ],
			[
				[ 'for', __( 'Comment form', 'chorus' ), 'text', __( 'A CSS selector. Empty: #respond when comments are open.', 'chorus' ) ],
				[ 'email', __( 'Email', 'chorus' ), 'text', __( 'Replies by email to this address.', 'chorus' ) ],
				[ 'inline', __( 'Reply inline', 'chorus' ), 'toggle', __( 'A reply form sent to your collector, even with a comment form or email.', 'chorus' ) ],
				[ 'label', __( 'Button', 'chorus' ), 'text' ],
				[ 'maxlength', __( 'Longest inline reply', 'chorus' ), 'number', __( 'In characters, at most 4000. Empty: 2000.', 'chorus' ) ],
				[ 'id', __( 'Name in reports', 'chorus' ), 'text' ],
			]
		),
		save: save,
	} );

	function courseImage( props ) {
		var MediaUpload = blockEditor.MediaUpload;
		if ( ! MediaUpload ) {
			return null;
		}
		return el(
			blockEditor.MediaUploadCheck,
			{ key: 'image' },
			el( MediaUpload, {
				allowedTypes: [ 'image' ],
				value: props.attributes.imageId,
				onSelect: function ( media ) {
					props.setAttributes( { imageId: media.id, imageUrl: media.url, imageAlt: media.alt || '' } );
				},
				render: function ( upload ) {
					return el(
						components.Button,
						{ variant: 'secondary', onClick: upload.open },
						props.attributes.imageId ? __( 'Replace image', 'chorus' ) : __( 'Choose an image', 'chorus' )
					);
				},
			} )
		);
	}

	wp.blocks.registerBlockType( 'chorus/course-cta', {
		edit: editor(
			[
				[ 'heading', __( 'Heading', 'chorus' ) ],
				[ 'text', __( 'Text', 'chorus' ), 'textarea' ],
			],
			[
				[ 'href', __( 'Link', 'chorus' ), 'text', __( 'The course\'s page (http or https).', 'chorus' ) ],
				[ 'label', __( 'Button', 'chorus' ), 'text', __( 'Empty: "Find out more".', 'chorus' ) ],
				[ 'campaign', __( 'Campaign', 'chorus' ), 'text', __( 'The same on every copy of one offer.', 'chorus' ) ],
				[ 'dismissible', __( 'Dismissible', 'chorus' ), 'toggle' ],
				[ 'dismissDays', __( 'Days a dismissal lasts', 'chorus' ), 'number' ],
				[ 'noUtm', __( 'No UTM parameters', 'chorus' ), 'toggle' ],
				[ 'imageAlt', __( 'Image description', 'chorus' ), 'text' ],
				[ 'id', __( 'Name in reports', 'chorus' ), 'text' ],
			],
			courseImage
		),
		save: save,
	} );

	// The other plugins' blocks Chorus renders now: a preview, and a way to make them Chorus's own.
	var compat = {
		'bctt/clicktotweet': {
			title: __( 'Better Click To Tweet (rendered by Chorus)', 'chorus' ),
			quote: function ( a ) {
				return {
					quote: a.tweet || '',
					url: a.url === false ? 'none' : a.urlcustom || '',
					via: a.via === false ? 'no' : a.username || '',
					// Better Click To Tweet suggested following the handle it credited.
					related: a.via === false ? '' : a.username || '',
					nofollow: !! a.nofollow,
					label: a.prompt || '',
				};
			},
		},
		'novashare/click-to-tweet': {
			title: __( 'Novashare Click to Tweet (rendered by Chorus)', 'chorus' ),
			quote: function ( a ) {
				return {
					quote: a.tweet || '',
					url: a.remove_url ? 'none' : '',
					via: a.remove_username ? 'no' : '',
					label: a.cta_text || '',
				};
			},
		},
	};
	( window.chorusCompatBlocks || [] ).forEach( function ( name ) {
		if ( ! compat[ name ] || wp.blocks.getBlockType( name ) ) {
			return;
		}
		wp.blocks.registerBlockType( name, {
			title: compat[ name ].title,
			category: 'text',
			icon: 'format-quote',
			supports: { inserter: false, html: false },
			edit: function ( props ) {
				return el( 'div', blockEditor.useBlockProps(), el( ServerSideRender, { block: name, attributes: props.attributes } ) );
			},
			save: save,
			transforms: {
				to: [
					{
						type: 'block',
						blocks: [ 'chorus/quote-to-tweet' ],
						transform: function ( attributes ) {
							return wp.blocks.createBlock( 'chorus/quote-to-tweet', compat[ name ].quote( attributes ) );
						},
					},
				],
			},
		} );
	} );
} )( window.wp );
